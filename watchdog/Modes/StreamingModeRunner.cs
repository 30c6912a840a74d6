using System.Diagnostics;
using Faas.Function;
using Faas.Watchdog.Configuration;
using Faas.Watchdog.Handlers;

namespace Faas.Watchdog.Modes;

/// <summary>
/// <c>mode=streaming</c>: one <c>fprocess</c> per call.
/// </summary>
/// <remarks>
/// 1. Fork <c>/bin/sh -c fprocess</c> with the CGI variables (<see cref="CgiEnvironment"/>) on top of the watchdog's environment.
/// 2. Copy the request body to stdin in the background, then close it; relay stderr to the log, keeping a tail.
/// 3. Wait for the first stdout bytes: EOF with a non-zero exit → 500 with the stderr tail; otherwise 200, streamed.
/// 4. The deadline (exec_timeout / X-Timeout) or a client disconnect kills the process tree at any point.
/// </remarks>
internal sealed class StreamingModeRunner(WatchdogOptions options) : ModeRunner(options)
{
    private const int BufferSize = 16 * 1024;

    public override HandlerShape Shape => HandlerShape.Forked;

    public override async Task<HandlerOutcome> InvokeAsync(HttpContext http, FunctionContext context, CancellationToken cancellationToken)
    {
        var request = http.Request;

        // 1. Fork.
        var start = FunctionProcess.StartInfo(Options.FunctionProcess!, redirectInput: true);
        CgiEnvironment.Apply(start.Environment, request);
        var process = Process.Start(start) ?? throw new InvalidOperationException("fprocess could not be started");
        var kill = cancellationToken.Register(static p => FunctionProcess.KillTree((Process)p!), process);

        // 2. stdin and stderr.
        var tail = new OutputTail();
        var stderr = FunctionProcess.RelayLinesAsync(process.StandardError, Console.Error, tail);
        var stdin = FeedAsync(request.Body, process.StandardInput.BaseStream, cancellationToken);

        // 3. First output, or the exit.
        var stdout = process.StandardOutput.BaseStream;
        var buffer = new byte[BufferSize];
        int read;
        try
        {
            read = await stdout.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                await Task.WhenAll(stderr, stdin).ConfigureAwait(false);
            }
        }
        catch
        {
            await kill.DisposeAsync().ConfigureAwait(false);
            FunctionProcess.KillTree(process);
            process.Dispose();
            throw;
        }

        var contentType = Options.ContentType ?? request.ContentType;
        if (read == 0)
        {
            await kill.DisposeAsync().ConfigureAwait(false);
            var exitCode = process.ExitCode;
            process.Dispose();
            if (exitCode != 0)
            {
                Logger.ForkFailed(exitCode, request.Method, request.Path);
                return HandlerOutcome.Text(StatusCodes.Status500InternalServerError,
                    $"function '{context.Environment.FunctionName}' failed: fprocess exited with code {exitCode}\n{tail}");
            }

            return new HandlerOutcome { StatusCode = StatusCodes.Status200OK, ContentType = contentType };
        }

        return new HandlerOutcome
        {
            StatusCode = StatusCodes.Status200OK,
            ContentType = contentType,
            BodyStream = new ForkedOutputStream(process, buffer, read, kill, Task.WhenAll(stderr, stdin), this, request.Method, request.Path),
        };
    }

    private static async Task FeedAsync(Stream body, Stream stdin, CancellationToken cancellationToken)
    {
        try
        {
            await body.CopyToAsync(stdin, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException or BadHttpRequestException)
        {
            // The process stopped reading (exited), the call ended, or the body was cut: stdin just closes.
        }
        finally
        {
            try
            {
                await stdin.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // Broken pipe: the process is gone.
            }
        }
    }

    /// <summary>stdout after the first chunk; a read ended by the deadline fails (so the connection is aborted, not truncated silently).</summary>
    private sealed class ForkedOutputStream(
        Process process, byte[] first, int firstCount, CancellationTokenRegistration kill, Task pumps, StreamingModeRunner runner, string method, string path) : Stream
    {
        private int _offset;
        private int _remaining = firstCount;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_remaining > 0)
            {
                var count = Math.Min(_remaining, buffer.Length);
                first.AsMemory(_offset, count).CopyTo(buffer);
                _offset += count;
                _remaining -= count;
                return count;
            }

            var read = await process.StandardOutput.BaseStream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override async ValueTask DisposeAsync()
        {
            await kill.DisposeAsync().ConfigureAwait(false);
            try
            {
                // Output ended: the process is exiting; a client that went away must not leave it running.
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
                await pumps.ConfigureAwait(false);
                if (process.ExitCode != 0)
                {
                    runner.Logger.ForkFailed(process.ExitCode, method, path);
                }
            }
            catch (OperationCanceledException)
            {
                FunctionProcess.KillTree(process);
            }
            finally
            {
                process.Dispose();
            }

            await base.DisposeAsync().ConfigureAwait(false);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text.Json;
using Faas.Nats.Internal;

namespace Faas.Nats.Protocol;

/// <summary>
/// One TCP connection to one server: the handshake, then a reader loop (pipe -> parser -> dispatch),
/// a writer loop (command channel -> pipe -> socket, flushed per batch) and a keep-alive ping loop.
/// The first failure of any loop ends the session; the owning connection decides what comes next.
/// </summary>
internal sealed class NatsSession : IAsyncDisposable
{
    private const int MaxBatchBytes = 64 * 1024;

    private readonly NatsConnection _owner;
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private readonly CancellationTokenSource _cts = new();
    private readonly TaskCompletionSource<Exception?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<PingEntry> _pongWaiters = new();
    private Task _loops = Task.CompletedTask;
    private int _outstandingPings;
    private int _disposed;

    private NatsSession(NatsConnection owner, NatsServerAddress server, Socket socket)
    {
        _owner = owner;
        Server = server;
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        _writer = PipeWriter.Create(_stream, new StreamPipeWriterOptions(leaveOpen: true));
    }

    public NatsServerAddress Server { get; }

    /// <summary>Completes with the reason the session ended (null when it was asked to stop).</summary>
    public Task<Exception?> Completion => _completion.Task;

    public static async Task<NatsSession> ConnectAsync(NatsConnection owner, NatsServerAddress server, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(owner.Opts.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        NatsSession? session = null;
        try
        {
            await socket.ConnectAsync(server.Host, server.Port, timeout.Token).ConfigureAwait(false);
            session = new NatsSession(owner, server, socket);
            await session.HandshakeAsync(timeout.Token).ConfigureAwait(false);
            session.Start();
            return session;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await DisposeFailedAsync(session, socket).ConfigureAwait(false);
            throw new NatsConnectionFailedException($"connecting to {server} timed out after {owner.Opts.ConnectTimeout}");
        }
        catch (SocketException ex)
        {
            await DisposeFailedAsync(session, socket).ConfigureAwait(false);
            throw new NatsConnectionFailedException($"connecting to {server} failed: {ex.Message}", ex);
        }
        catch
        {
            await DisposeFailedAsync(session, socket).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Ends the session with <paramref name="error"/> as the reason; idempotent.</summary>
    public void Fail(Exception? error)
    {
        if (_completion.TrySetResult(error))
        {
            _cts.Cancel();
            _socket.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Fail(null);
        await _loops.ConfigureAwait(false);
        await _reader.CompleteAsync().ConfigureAwait(false);
        try
        {
            // Completing the writer flushes what is still buffered, into a socket Fail has closed.
            await _writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            // The session is over: unsent bytes are lost, as for any dropped connection.
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
        _cts.Dispose();
        var lost = new NatsConnectionFailedException($"connection to {Server} was lost before the PONG arrived");
        while (_pongWaiters.TryDequeue(out var waiter))
        {
            waiter.Completion?.TrySetException(lost);
        }
    }

    private static async ValueTask DisposeFailedAsync(NatsSession? session, Socket socket)
    {
        if (session is not null)
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            socket.Dispose();
        }
    }

    /// <summary>
    /// 1. Read INFO. 2. Send CONNECT and PING. 3. Wait for PONG (or -ERR, auth errors are terminal).
    /// 4. Re-send SUB (and UNSUB max) for every live subscription, ahead of anything queued.
    /// </summary>
    private async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        // 1.
        ServerOp first = default;
        await ReadOpsAsync(
            (in ServerOp op) =>
            {
                first = op with { Headers = default, Payload = default };
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        if (first.Kind != ServerOpKind.Info)
        {
            throw new NatsProtocolException($"expected INFO from {Server}, got {first.Kind}");
        }

        UpdateInfo(first.Text!);

        // 2.
        var auth = _owner.Opts.AuthOpts;
        var connect = new ConnectOptions
        {
            Name = _owner.Opts.Name,
            User = auth.Username,
            Pass = auth.Password,
            AuthToken = auth.Token,
        };
        _writer.Write(ProtocolWriter.Connect(connect));
        _writer.Write("PING\r\n"u8);
        await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);

        // 3.
        Exception? error = null;
        await ReadOpsAsync(
            (in ServerOp op) =>
            {
                switch (op.Kind)
                {
                    case ServerOpKind.Pong:
                        return true;
                    case ServerOpKind.Err:
                        NatsLog.ServerError(_owner.Logger, op.Text!);
                        error = IsAuthError(op.Text!)
                            ? new NatsAuthorizationException($"{Server} rejected the credentials: {op.Text}")
                            : new NatsServerErrorException($"{Server} answered CONNECT with -ERR '{op.Text}'");
                        return true;
                    case ServerOpKind.Ping:
                        _writer.Write("PONG\r\n"u8);
                        return false;
                    case ServerOpKind.Info:
                        UpdateInfo(op.Text!);
                        return false;
                    default:
                        return false;
                }
            },
            cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            throw error;
        }

        // 4.
        foreach (var sub in _owner.ActiveSubscriptions)
        {
            var remaining = sub.Remaining;
            if (remaining == 0)
            {
                continue;
            }

            WriteAndRelease(ProtocolWriter.Subscribe(sub.Sid, sub.Subject, sub.QueueGroup));
            if (remaining is { } max)
            {
                WriteAndRelease(ProtocolWriter.Unsubscribe(sub.Sid, max));
            }
        }

        await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        NatsLog.Connected(_owner.Logger, Server.ToString(), _owner.ServerInfo?.ServerId, _owner.ServerInfo?.Version);
    }

    private void Start()
    {
        var token = _cts.Token;
        var read = Task.Run(() => RunLoopAsync(ReadLoopAsync, token));
        var write = Task.Run(() => RunLoopAsync(WriteLoopAsync, token));
        var ping = Task.Run(() => RunLoopAsync(PingLoopAsync, token));
        _loops = Task.WhenAll(read, write, ping);
    }

    private async Task RunLoopAsync(Func<CancellationToken, Task> loop, CancellationToken cancellationToken)
    {
        try
        {
            await loop(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Session ended elsewhere.
        }
        catch (Exception ex)
        {
            Fail(cancellationToken.IsCancellationRequested ? null : ex);
        }
    }

    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        await ReadOpsAsync(Dispatch, cancellationToken).ConfigureAwait(false);
        Fail(new NatsConnectionFailedException($"{Server} closed the connection"));
    }

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        var commands = _owner.Commands;
        while (await commands.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var batch = 0;
            while (batch < MaxBatchBytes && commands.TryRead(out var command))
            {
                if (command.Ping is { } ping)
                {
                    ping.SentAt = Stopwatch.GetTimestamp();
                    _pongWaiters.Enqueue(ping);
                }

                WriteAndRelease(command);
                batch += command.Length;
            }

            await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            _owner.OnCommandsWritten(batch);
        }
    }

    private async Task PingLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_owner.Opts.PingInterval);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            var outstanding = Volatile.Read(ref _outstandingPings);
            if (outstanding >= _owner.Opts.MaxPingOut)
            {
                NatsLog.StaleConnection(_owner.Logger, outstanding);
                Fail(new NatsConnectionFailedException($"stale connection to {Server}: {outstanding} pings without a pong"));
                return;
            }

            Interlocked.Increment(ref _outstandingPings);
            _owner.Enqueue(ProtocolWriter.Ping(new PingEntry(null)), isPublish: false);
        }
    }

    private bool Dispatch(in ServerOp op)
    {
        switch (op.Kind)
        {
            case ServerOpKind.Msg:
                _owner.DeliverMessage(op);
                break;
            case ServerOpKind.Ping:
                _owner.Enqueue(ProtocolWriter.Pong(), isPublish: false);
                break;
            case ServerOpKind.Pong:
                Volatile.Write(ref _outstandingPings, 0);
                if (_pongWaiters.TryDequeue(out var waiter))
                {
                    waiter.OnPong();
                }

                break;
            case ServerOpKind.Err:
                NatsLog.ServerError(_owner.Logger, op.Text!);
                if (IsAuthError(op.Text!))
                {
                    Fail(new NatsAuthorizationException($"{Server}: {op.Text}"));
                }

                break;
            case ServerOpKind.Info:
                UpdateInfo(op.Text!);
                break;
            case ServerOpKind.Ok:
                break;
        }

        return false;
    }

    private delegate bool OpHandler(in ServerOp op);

    /// <summary>Parses operations and hands each to <paramref name="handler"/> until it returns true or the stream ends.</summary>
    private async Task ReadOpsAsync(OpHandler handler, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var done = false;
            try
            {
                while (!done && ProtocolParser.TryParse(ref buffer, out var op))
                {
                    done = handler(op);
                }
            }
            finally
            {
                // Stopped early: the rest is unexamined so the next read returns it at once.
                _reader.AdvanceTo(buffer.Start, done ? buffer.Start : buffer.End);
            }

            if (done)
            {
                return;
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                if (buffer.Length > 0 || !cancellationToken.IsCancellationRequested)
                {
                    throw new NatsConnectionFailedException($"{Server} closed the connection");
                }

                return;
            }
        }
    }

    private void WriteAndRelease(OutboundCommand command)
    {
        _writer.Write(command.Span);
        command.Release();
    }

    private void UpdateInfo(string json)
    {
        var info = JsonSerializer.Deserialize(json, ProtocolJsonContext.Default.NatsServerInfo)
            ?? throw new NatsProtocolException("INFO without a JSON body");
        _owner.ServerInfo = info;
        if (info.LameDuckMode)
        {
            NatsLog.LameDuck(_owner.Logger, Server.ToString());
        }
    }

    private static bool IsAuthError(string error) =>
        error.Contains("authorization violation", StringComparison.OrdinalIgnoreCase) ||
        error.Contains("authentication", StringComparison.OrdinalIgnoreCase) ||
        error.Contains("user authentication expired", StringComparison.OrdinalIgnoreCase) ||
        error.Contains("account authentication expired", StringComparison.OrdinalIgnoreCase);
}

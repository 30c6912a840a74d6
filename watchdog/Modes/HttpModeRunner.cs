using System.Diagnostics;
using System.Net.Sockets;
using Faas.Function;
using Faas.Watchdog.Configuration;
using Faas.Watchdog.Handlers;
using ContractHeaders = Faas.Contracts.Headers;

namespace Faas.Watchdog.Modes;

/// <summary>
/// <c>mode=http</c>: <c>fprocess</c> is started once and every call is proxied to <c>upstream_url</c>.
/// </summary>
/// <remarks>
/// 1. Start-up (<see cref="InitializeAsync"/>, run by the replica lifecycle while <c>/_/ready</c> says 503):
///    start the process, then poll a TCP connect to the upstream until it succeeds, the process exits,
///    or <c>upstream_startup_timeout</c> passes (the last two fail the replica).
/// 2. A call: method, path, query, headers (hop-by-hop dropped) and the streamed body go upstream;
///    status, headers and the streamed body come back. Upstream unreachable → 502 with
///    <c>X-OpenFaaS-Internal: of-watchdog</c>; the deadline → 504 (by the endpoint, as every mode).
/// 3. The process exiting at any time fails the replica (<see cref="ModeSupervision"/>): unhealthy,
///    unready and stopping, so the backend replaces it.
/// </remarks>
internal sealed class HttpModeRunner : ModeRunner, IFunctionInitializer
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
    };

    private readonly HttpMessageInvoker _client;
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? _process;

    public HttpModeRunner(WatchdogOptions options)
        : base(options)
    {
        _client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        });
    }

    public override HandlerShape Shape => HandlerShape.Upstream;

    public override Task Exited => _exited.Task;

    /// <summary>Exit code of the function process once it exited.</summary>
    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    public async Task InitializeAsync(FunctionEnvironment environment, CancellationToken cancellationToken)
    {
        // 1. Start the process and wait for its port.
        var process = Process.Start(FunctionProcess.StartInfo(Options.FunctionProcess!, redirectInput: false))
            ?? throw new InvalidOperationException("fprocess could not be started");
        _process = process;
        _ = FunctionProcess.RelayLinesAsync(process.StandardOutput, Console.Out);
        _ = FunctionProcess.RelayLinesAsync(process.StandardError, Console.Error);
        _ = process.WaitForExitAsync(CancellationToken.None).ContinueWith(_ => _exited.TrySetResult(), TaskScheduler.Default);
        Logger.UpstreamStarting(process.Id, Options.UpstreamUrl);

        var started = Stopwatch.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Options.UpstreamStartupTimeout);
        while (true)
        {
            if (_exited.Task.IsCompleted)
            {
                throw new InvalidOperationException($"fprocess exited with code {process.ExitCode} before {Options.UpstreamUrl} accepted connections");
            }

            try
            {
                using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(Options.UpstreamUrl.Host, Options.UpstreamUrl.Port, deadline.Token).ConfigureAwait(false);
                Logger.UpstreamReady(Options.UpstreamUrl, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                return;
            }
            catch (SocketException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{Options.UpstreamUrl} did not accept connections within upstream_startup_timeout");
            }

            try
            {
                await Task.Delay(50, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{Options.UpstreamUrl} did not accept connections within upstream_startup_timeout");
            }
        }
    }

    public override async Task<HandlerOutcome> InvokeAsync(HttpContext http, FunctionContext context, CancellationToken cancellationToken)
    {
        // 2. Proxy.
        var request = http.Request;
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), UpstreamUri(request));
        if (request.ContentLength > 0 || request.Headers.ContainsKey("Transfer-Encoding"))
        {
            message.Content = new StreamContent(request.Body);
        }

        foreach (var (name, values) in request.Headers)
        {
            if (HopByHop.Contains(name))
            {
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            Logger.UpstreamFailed(request.Method, request.Path, e);
            return new HandlerOutcome
            {
                StatusCode = StatusCodes.Status502BadGateway,
                ContentType = HandlerOutcome.PlainText,
                Headers = new Dictionary<string, string> { [ContractHeaders.Internal] = "of-watchdog" },
                Body = System.Text.Encoding.UTF8.GetBytes($"function '{context.FunctionName}' upstream {Options.UpstreamUrl} failed: {e.Message}"),
            };
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopByHop.Contains(name) && !string.Equals(name, "Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                headers[name] = string.Join(", ", values);
            }
        }

        return new HandlerOutcome
        {
            StatusCode = (int)response.StatusCode,
            ContentType = response.Content.Headers.ContentType?.ToString(),
            Headers = headers,
            BodyStream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false),
        };
    }

    public override async ValueTask DisposeAsync()
    {
        _client.Dispose();
        if (_process is { } process)
        {
            FunctionProcess.KillTree(process);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Left to the OS.
            }

            process.Dispose();
        }
    }

    private Uri UpstreamUri(HttpRequest request)
    {
        var path = request.PathBase.Add(request.Path);
        var builder = new UriBuilder(Options.UpstreamUrl)
        {
            Path = (Options.UpstreamUrl.AbsolutePath.TrimEnd('/') + (path.HasValue ? path.Value : "/")),
            Query = request.QueryString.HasValue ? request.QueryString.Value![1..] : string.Empty,
        };
        return builder.Uri;
    }
}

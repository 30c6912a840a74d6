using System.Globalization;
using Faas.Contracts;
using Faas.Contracts.Naming;

namespace Faas.Gateway.Async;

/// <summary>
/// POSTs a call's outcome to its <c>X-Callback-Url</c>: the function's response headers and body
/// plus <c>X-Call-Id</c>, <c>X-Function-Status</c>, <c>X-Function-Name</c> and
/// <c>X-Duration-Seconds</c>. Retried a few times with backoff on transport errors and 5xx/429.
/// </summary>
public sealed partial class CallbackSender(ILogger<CallbackSender> logger) : IDisposable
{
    public const int MaxAttempts = 3;
    private static readonly TimeSpan FirstWait = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);
    private static readonly HashSet<string> SkippedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Date", "Server",
        Headers.CallId, Headers.FunctionStatus, Headers.FunctionName, Headers.DurationSeconds,
    };

    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, MaxConnectionsPerServer = 256 })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>Delivers the callback if the call has one; returns null on success, else the last error.</summary>
    public async Task<string?> SendAsync(AsyncCall call, InvokeResult result, CancellationToken cancellationToken = default)
    {
        if (call.CallbackUrl is null)
        {
            return null;
        }

        string? error = null;
        var wait = FirstWait;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            using var request = Build(call, result);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(AttemptTimeout);
            try
            {
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (status < 500 && status != 429)
                {
                    return status < 400 ? null : $"the callback answered {status}";
                }

                error = $"the callback answered {status}";
            }
            catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                error = $"the callback is unreachable: {Provider.ProviderClient.Reason(e)}";
            }

            LogCallbackFailed(logger, call.CallId, call.CallbackUrl, attempt, error);
            if (attempt < MaxAttempts)
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                wait *= 2;
            }
        }

        return error;
    }

    private static HttpRequestMessage Build(AsyncCall call, InvokeResult result)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, call.CallbackUrl) { Content = new ByteArrayContent(result.Body) };
        foreach (var (name, values) in result.Headers)
        {
            if (SkippedHeaders.Contains(name))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, values))
            {
                request.Content.Headers.TryAddWithoutValidation(name, values);
            }
        }

        request.Headers.TryAddWithoutValidation(Headers.CallId, call.CallId);
        request.Headers.TryAddWithoutValidation(Headers.FunctionStatus, (result.StatusCode ?? 503).ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(Headers.FunctionName, FunctionNames.Qualified(call.Function, call.Namespace));
        request.Headers.TryAddWithoutValidation(Headers.DurationSeconds, result.Duration.TotalSeconds.ToString("0.######", CultureInfo.InvariantCulture));
        return request;
    }

    public void Dispose() => _http.Dispose();

    [LoggerMessage(EventId = 5301, Level = LogLevel.Warning, Message = "Callback of call {CallId} to {Url} failed (attempt {Attempt}): {Reason}")]
    private static partial void LogCallbackFailed(ILogger logger, string callId, string url, int attempt, string reason);
}

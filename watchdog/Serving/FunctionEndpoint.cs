using System.Diagnostics;
using System.Globalization;
using Faas.Function;
using Faas.Watchdog.Configuration;
using Faas.Watchdog.Handlers;
using Faas.Watchdog.Logging;
using Microsoft.AspNetCore.Http.Features;
using ContractHeaders = Faas.Contracts.Headers;

namespace Faas.Watchdog.Serving;

/// <summary>
/// Serves every path but the probes with the handler.
/// </summary>
/// <remarks>
/// 1. Take a concurrency slot, or answer 429 at <c>max_inflight</c>.
/// 2. Enforce <c>max_request_body</c>: Content-Length pre-check (413), streaming limit on the server feature.
/// 3. Start the call's clock: <c>exec_timeout</c>, shortened by <c>X-Timeout</c>, linked to the client's disconnect.
/// 4. Invoke the handler's shape; stop waiting at the deadline even if the handler ignores its token.
/// 5. Map the outcome, or the failure, to a response; handler answers carry <c>X-Duration-Seconds</c>.
/// </remarks>
internal sealed class FunctionEndpoint
{
    public const string WatchdogInternal = "of-watchdog";
    public const string MiddlewareInternal = "faas-middleware";

    private readonly WatchdogOptions _options;
    private readonly HandlerInvoker _invoker;
    private readonly FunctionEnvironment _environment;
    private readonly ConcurrencyLimiter _limiter;
    private readonly ILogger _logger;
    private readonly string _concurrencyMessage;

    public FunctionEndpoint(WatchdogOptions options, LoadedHandler handler, FunctionEnvironment environment, ConcurrencyLimiter limiter, ILogger<FunctionEndpoint> logger)
    {
        _options = options;
        _invoker = handler.Invoker;
        _environment = environment;
        _limiter = limiter;
        _logger = logger;
        _concurrencyMessage = $"Concurrent request limit exceeded. Max concurrent requests: {options.MaxInflight}";
    }

    public async Task InvokeAsync(HttpContext http)
    {
        // 1. Concurrency slot.
        if (!_limiter.TryEnter())
        {
            _logger.ConcurrencyLimited(_options.MaxInflight);
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            http.Response.ContentType = "text/plain";
            http.Response.Headers[ContractHeaders.Internal] = MiddlewareInternal;
            await http.Response.WriteAsync(_concurrencyMessage, http.RequestAborted).ConfigureAwait(false);
            return;
        }

        try
        {
            await InvokeWithSlotAsync(http).ConfigureAwait(false);
        }
        finally
        {
            _limiter.Exit();
        }
    }

    private async Task InvokeWithSlotAsync(HttpContext http)
    {
        var request = http.Request;

        // 2. Body limit.
        if (request.ContentLength > _options.MaxRequestBody)
        {
            _logger.BodyTooLarge(request.Method, request.Path, _options.MaxRequestBody);
            await WriteAsync(http, HandlerOutcome.Text(StatusCodes.Status413PayloadTooLarge,
                $"request body of {request.ContentLength} bytes exceeds max_request_body of {_options.MaxRequestBody} bytes"), null, CancellationToken.None).ConfigureAwait(false);
            return;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = _options.MaxRequestBody;
        }

        // 3. The call's clock.
        var started = Stopwatch.GetTimestamp();
        var timeout = CallTimeout.Resolve(_options.ExecTimeout, request.Headers[ContractHeaders.Timeout]);
        using var deadline = timeout.IsNone ? null : new CancellationTokenSource(timeout.Limit);
        using var linked = deadline is null ? null : CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, http.RequestAborted);
        var cancellationToken = linked?.Token ?? http.RequestAborted;

        // 4. Invoke.
        HandlerOutcome outcome;
        Task<HandlerOutcome>? call = null;
        try
        {
            var context = new FunctionContext(_environment, CallId(request), JoinHeaders(request.Headers));
            call = _invoker.InvokeAsync(http, context, cancellationToken);
            outcome = await call.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            if (call is { IsCompleted: false })
            {
                ObserveAbandoned(call);
            }

            // 5a. Failures.
            if (http.RequestAborted.IsCancellationRequested)
            {
                _logger.ClientDisconnected(request.Method, request.Path);
                return;
            }

            if (e is OperationCanceledException && deadline is { IsCancellationRequested: true })
            {
                _logger.Timeout(_environment.FunctionName, Contracts.Time.GoDuration.Format(timeout.Limit), request.Method, request.Path);
                http.Response.Headers[ContractHeaders.Internal] = WatchdogInternal;
                await WriteAsync(http, HandlerOutcome.Text(StatusCodes.Status504GatewayTimeout, timeout.Describe(_environment.FunctionName)), null, CancellationToken.None).ConfigureAwait(false);
                return;
            }

            await WriteAsync(http, Classify(http, e), started, CancellationToken.None).ConfigureAwait(false);
            return;
        }

        // 5b. The handler's answer.
        await WriteAsync(http, outcome, started, cancellationToken).ConfigureAwait(false);
    }

    private HandlerOutcome Classify(HttpContext http, Exception e)
    {
        var request = http.Request;
        switch (e)
        {
            case FunctionException function:
                _logger.FunctionError(_environment.FunctionName, function.StatusCode, function.Message);
                return HandlerOutcome.Text(function.StatusCode, function.Message);
            case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                _logger.BodyTooLarge(request.Method, request.Path, _options.MaxRequestBody);
                return HandlerOutcome.Text(StatusCodes.Status413PayloadTooLarge, $"request body exceeds max_request_body of {_options.MaxRequestBody} bytes");
            case BadHttpRequestException bad:
                return HandlerOutcome.Text(bad.StatusCode, $"bad request: {bad.Message}");
            case InvalidHandlerResultException invalid:
                _logger.HandlerFailed(_environment.FunctionName, request.Method, request.Path, e);
                return HandlerOutcome.Text(StatusCodes.Status500InternalServerError,
                    $"function '{_environment.FunctionName}' failed: {invalid.Message}; see the function's logs");
            default:
                // The stack trace is for the function's owner (the logs), never for the caller.
                _logger.HandlerFailed(_environment.FunctionName, request.Method, request.Path, e);
                return HandlerOutcome.Text(StatusCodes.Status500InternalServerError,
                    $"function '{_environment.FunctionName}' failed: handler threw {e.GetType().Name}; see the function's logs");
        }
    }

    private async Task WriteAsync(HttpContext http, HandlerOutcome outcome, long? started, CancellationToken cancellationToken)
    {
        var response = http.Response;
        try
        {
            response.StatusCode = outcome.StatusCode;
            if (outcome.Headers is not null)
            {
                foreach (var (name, value) in outcome.Headers)
                {
                    response.Headers[name] = value;
                }
            }

            if (outcome.ContentType is not null)
            {
                response.ContentType = outcome.ContentType;
            }

            if (started is long start)
            {
                response.Headers[ContractHeaders.DurationSeconds] =
                    Stopwatch.GetElapsedTime(start).TotalSeconds.ToString("F6", CultureInfo.InvariantCulture);
            }

            if (outcome.BodyStream is { } stream)
            {
                await using (stream.ConfigureAwait(false))
                {
                    await stream.CopyToAsync(response.Body, cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                response.ContentLength = outcome.Body.Length;
                await response.Body.WriteAsync(outcome.Body, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception) when (http.RequestAborted.IsCancellationRequested)
        {
            _logger.ClientDisconnected(http.Request.Method, http.Request.Path);
        }
        catch (Exception e)
        {
            // Headers may be on the wire already: the only honest signal left is a broken connection.
            _logger.ResponseFailed(http.Request.Method, http.Request.Path, e);
            http.Abort();
        }
    }

    private void ObserveAbandoned(Task<HandlerOutcome> call) =>
        call.ContinueWith(
            static (task, state) =>
            {
                var self = (FunctionEndpoint)state!;
                if (task.IsFaulted && task.Exception!.InnerException is not OperationCanceledException)
                {
                    self._logger.AbandonedCallFailed(self._environment.FunctionName, task.Exception.InnerException!);
                }
                else if (task.IsCompletedSuccessfully)
                {
                    task.Result.BodyStream?.Dispose();
                }
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    private static string CallId(HttpRequest request) =>
        request.Headers[ContractHeaders.CallId] is { Count: > 0 } values && !string.IsNullOrEmpty(values[0])
            ? values[0]!
            : Guid.NewGuid().ToString();

    private static Dictionary<string, string> JoinHeaders(IHeaderDictionary headers)
    {
        var joined = new Dictionary<string, string>(headers.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in headers)
        {
            joined[name] = values.Count == 1 ? values[0] ?? string.Empty : string.Join(", ", (IEnumerable<string?>)values);
        }

        return joined;
    }
}

namespace Faas.Watchdog.Serving;

/// <summary>
/// <c>/_/health</c> (liveness: 200 <c>OK</c> unless draining or failed) and <c>/_/ready</c>
/// (200 when ready, 503 while starting or draining, 429 at <c>max_inflight</c>; header
/// <c>X-Inflight</c> = calls in flight). GET only, as of-watchdog.
/// Every other path goes to the handler.
/// </summary>
internal sealed class ProbeMiddleware(RequestDelegate next, ReplicaStatus status, ConcurrencyLimiter limiter)
{
    public const string HealthPath = "/_/health";
    public const string ReadyPath = "/_/ready";

    /// <summary>On <c>/_/ready</c>: calls being served right now.</summary>
    public const string InFlightHeader = "X-Inflight";

    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        if (string.Equals(path, HealthPath, StringComparison.Ordinal))
        {
            return Answer(context, status.State switch
            {
                ReplicaState.Starting or ReplicaState.Ready => (StatusCodes.Status200OK, "OK"),
                ReplicaState.Draining => (StatusCodes.Status503ServiceUnavailable, "draining"),
                _ => (StatusCodes.Status503ServiceUnavailable, "initialization failed"),
            });
        }

        if (string.Equals(path, ReadyPath, StringComparison.Ordinal))
        {
            // The controller checks for zero before it pauses the replica (the warm tier).
            context.Response.Headers[InFlightHeader] = limiter.InFlight.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Answer(context, status.State switch
            {
                ReplicaState.Ready when limiter.IsSaturated => (StatusCodes.Status429TooManyRequests, "concurrent request limit reached"),
                ReplicaState.Ready => (StatusCodes.Status200OK, "OK"),
                ReplicaState.Starting => (StatusCodes.Status503ServiceUnavailable, "starting"),
                ReplicaState.Draining => (StatusCodes.Status503ServiceUnavailable, "draining"),
                _ => (StatusCodes.Status503ServiceUnavailable, "initialization failed"),
            });
        }

        return next(context);
    }

    private static Task Answer(HttpContext context, (int StatusCode, string Body) answer)
    {
        var response = context.Response;
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = HttpMethods.Get;
            return Task.CompletedTask;
        }

        response.StatusCode = answer.StatusCode;
        response.ContentType = "text/plain; charset=utf-8";
        return response.WriteAsync(answer.Body, context.RequestAborted);
    }
}

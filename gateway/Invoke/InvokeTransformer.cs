using System.Globalization;
using Faas.Contracts;
using Faas.Gateway.Http;
using Microsoft.Extensions.Primitives;

namespace Faas.Gateway.Invoke;

/// <summary>
/// Response side of an invocation. <see cref="InvokeHandler"/> has already put the gateway's
/// <c>X-Call-Id</c> (only when it generated one) and <c>X-Start-Time</c> on the response; the copy
/// of the replica's headers must not duplicate them. <c>X-Duration-Seconds</c> is the watchdog's
/// if it sent one, else the gateway's measurement. Stateless: one instance serves every request.
/// </summary>
public sealed class InvokeTransformer(TimeProvider time) : GatewayTransformer
{
    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var headers = httpContext.Response.Headers;
        var callId = headers[Headers.CallId];
        var start = headers[Headers.StartTime];

        var proceed = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken).ConfigureAwait(false);

        if (!StringValues.IsNullOrEmpty(callId))
        {
            headers[Headers.CallId] = callId;
        }

        headers[Headers.StartTime] = start;
        if (!headers.ContainsKey(Headers.DurationSeconds)
            && long.TryParse(start, NumberStyles.None, CultureInfo.InvariantCulture, out var startNs))
        {
            var seconds = (InvokeHandler.UnixNanoseconds(time) - startNs) / 1e9;
            headers[Headers.DurationSeconds] = Math.Max(0, seconds).ToString("F6", CultureInfo.InvariantCulture);
        }

        return proceed;
    }
}

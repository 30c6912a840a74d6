using System.Globalization;
using Faas.Contracts;
using Faas.Contracts.Time;

namespace Faas.Gateway.Http;

/// <summary>Plain-text error responses produced by the gateway itself, marked <c>X-OpenFaaS-Internal: gateway</c>.</summary>
public static class GatewayErrors
{
    public const string InternalValue = "gateway";

    /// <summary>Replaces whatever the response holds (it must not have started) with an error.</summary>
    public static Task WriteAsync(HttpContext context, int status, string message, int? retryAfterSeconds = null, string? callId = null)
    {
        var response = context.Response;
        response.Clear();
        response.StatusCode = status;
        response.Headers[Headers.Internal] = InternalValue;
        if (callId is not null)
        {
            response.Headers[Headers.CallId] = callId;
        }

        if (retryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        response.ContentType = "text/plain; charset=utf-8";
        return response.WriteAsync(message, context.RequestAborted);
    }

    /// <summary>The 413 Kestrel raised while the forwarder was reading a body over the limit, if that is what failed.</summary>
    public static BadHttpRequestException? FindTooLarge(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } tooLarge)
            {
                return tooLarge;
            }
        }

        return null;
    }

    /// <summary>A duration for messages: <c>60s</c>, <c>300ms</c>, <c>1m30.5s</c>.</summary>
    public static string Format(TimeSpan value)
    {
        if (value > TimeSpan.Zero && value < TimeSpan.FromSeconds(1))
        {
            return $"{value.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)}ms";
        }

        return value.Ticks % TimeSpan.TicksPerSecond == 0
            ? $"{(long)value.TotalSeconds}s"
            : GoDuration.Format(value);
    }
}

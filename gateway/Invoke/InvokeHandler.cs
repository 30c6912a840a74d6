using System.Globalization;
using System.Net.Sockets;
using Faas.Contracts;
using Faas.Contracts.Naming;
using Faas.Gateway.Configuration;
using Faas.Gateway.Endpoints;
using Faas.Gateway.Http;
using Faas.Gateway.Metrics;
using Faas.Gateway.Provider;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Forwarder;

namespace Faas.Gateway.Invoke;

/// <summary>
/// Synchronous invocation: <c>/function/{name}[.{namespace}][/{**path}]</c>, any method.
/// </summary>
/// <remarks>
/// 1. Reject a declared body over <c>max_request_body</c> (413) and cap the streamed one.
/// 2. Resolve the function in the routing table; unknown → ask the controller once (404 if it
///    does not know it either).
/// 3. No ready replica → hold until the table shows one or <c>ready_wait_timeout</c> passes (504),
///    at most <c>max_held_requests_per_function</c> calls per function (more → 503,
///    <see cref="HeldRequests"/>); a function scaled to zero is poked to one replica, a paused one
///    (warm tier) to its own count, once for all its held calls (<see cref="ScaleFromZero"/>).
/// 4. Pick the ready replica with the fewest in-flight requests.
/// 5. Add the OpenFaaS headers, cut <c>/function/{name}</c> off the path.
/// 6. Forward with YARP (bodies streamed both ways, activity timeout = <c>upstream_timeout</c>).
/// 7. Map a forwarding failure to 502/504/413 while the response has not started.
/// </remarks>
public sealed partial class InvokeHandler(
    GatewayOptions options,
    EndpointTable endpoints,
    FunctionLookup lookup,
    ScaleFromZero scaleFromZero,
    HeldRequests held,
    IHttpForwarder forwarder,
    UpstreamHttp http,
    InvokeTransformer transformer,
    TimeProvider time,
    GatewayMetrics metrics,
    ILogger<InvokeHandler> logger)
{
    public const string NameRouteKey = "name";
    private const int FunctionPrefixLength = 10; // "/function/"
    private const int RetryAfterSeconds = 5;
    private const string XForwardedHost = "X-Forwarded-Host";
    private const string XForwardedFor = "X-Forwarded-For";
    private static readonly PathString Root = new("/");

    private readonly ForwarderRequestConfig _requestConfig = new()
    {
        ActivityTimeout = options.UpstreamTimeout,
        Version = System.Net.HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
    };

    private readonly string _upstreamTimeoutText = GatewayErrors.Format(options.UpstreamTimeout);
    private readonly string _readyWaitText = GatewayErrors.Format(options.ReadyWaitTimeout);

    public async Task InvokeAsync(HttpContext context)
    {
        var token = context.Request.RouteValues[NameRouteKey] as string ?? "";
        var (name, ns) = FunctionNames.Split(token, options.FunctionNamespace);
        var key = new FunctionKey(name, ns);

        // Metrics: started on entry, in flight while held or forwarded, total and duration with
        // the status written on completion (not for a client that left before any response).
        var recorded = metrics.For(key);
        var started = time.GetTimestamp();
        recorded.Started.Inc();
        recorded.InFlight.Inc();
        try
        {
            await InvokeCoreAsync(context, token, key, recorded).ConfigureAwait(false);
        }
        finally
        {
            recorded.InFlight.Dec();
            if (context.Response.StatusCode == StatusCodes.Status404NotFound && !endpoints.Current.TryGet(key, out _))
            {
                // The gateway's own "no such function": no series for names callers make up.
                metrics.Forget(key);
            }
            else if (context.Response.HasStarted || !context.RequestAborted.IsCancellationRequested)
            {
                recorded.Completed(context.Response.StatusCode, time.GetElapsedTime(started));
            }
        }
    }

    private async Task InvokeCoreAsync(HttpContext context, string token, FunctionKey key, FunctionMetrics recorded)
    {

        // 1. Body limit: declared length up front, streamed bodies by Kestrel while copying.
        if (context.Request.ContentLength > options.MaxRequestBody)
        {
            await WriteTooLargeAsync(context, null).ConfigureAwait(false);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = options.MaxRequestBody;
        }

        // 2. + 3. Resolve, holding the request while no replica is ready.
        FunctionRoute? route;
        try
        {
            route = await ResolveAsync(context, key, recorded).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            LogClientCanceledWhileHeld(logger, key.ToString());
            return;
        }

        if (route is null)
        {
            return;
        }

        // 4. Least in-flight, ties round-robin.
        var replica = route.PickLeastInFlight()!;

        // 5. Headers and path.
        var callId = PrepareRequest(context, token.Length);

        // 6. Forward.
        ForwarderError error;
        replica.Acquire();
        try
        {
            error = await forwarder.SendAsync(context, replica.DestinationPrefix, http.Invoker, _requestConfig, transformer).ConfigureAwait(false);
        }
        finally
        {
            replica.Release();
        }

        // 7. Failures.
        if (error != ForwarderError.None)
        {
            await HandleErrorAsync(context, route, replica, error, callId).ConfigureAwait(false);
        }
    }

    /// <summary>Unix time in nanoseconds, the unit of <c>X-Start-Time</c>.</summary>
    public static long UnixNanoseconds(TimeProvider time) =>
        (time.GetUtcNow().UtcTicks - DateTime.UnixEpoch.Ticks) * 100;

    private async ValueTask<FunctionRoute?> ResolveAsync(HttpContext context, FunctionKey key, FunctionMetrics recorded)
    {
        if (endpoints.Current.TryGet(key, out var route) && route.HasReady)
        {
            return route;
        }

        if (route is null)
        {
            var found = FunctionNames.IsValid(key.Name) && FunctionNames.IsValid(key.Namespace)
                ? await lookup.LookupAsync(key, context.RequestAborted).ConfigureAwait(false)
                : new ProviderResult<LookupOutcome>(LookupOutcome.NotFound, null);
            switch (found.Value)
            {
                case LookupOutcome.NotFound:
                    await GatewayErrors.WriteAsync(context, StatusCodes.Status404NotFound,
                        $"function '{key.Name}' not found in namespace '{key.Namespace}'").ConfigureAwait(false);
                    return null;
                case LookupOutcome.Unreachable:
                    LogLookupFailed(logger, key.ToString(), found.Error ?? "");
                    await GatewayErrors.WriteAsync(context, StatusCodes.Status502BadGateway,
                        $"cannot look up function '{key.Name}' in namespace '{key.Namespace}': {found.Error}").ConfigureAwait(false);
                    return null;
            }
        }

        if (!held.TryEnter(key))
        {
            LogHoldQueueFull(logger, key.ToString(), held.Limit);
            await GatewayErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
                $"function '{key.Name}' in namespace '{key.Namespace}' already has {held.Limit} calls waiting for a ready replica (max_held_requests_per_function); retry later",
                RetryAfterSeconds).ConfigureAwait(false);
            return null;
        }

        var holdStart = time.GetTimestamp();
        try
        {
            if (route is { DesiredReplicas: 0 })
            {
                scaleFromZero.Poke(key, 1);
            }
            else if (route is { Paused: true })
            {
                // Warm tier: asking for the count it already has resumes the paused replicas.
                scaleFromZero.Poke(key, route.DesiredReplicas);
            }

            LogHolding(logger, key.ToString(), _readyWaitText);
            route = await endpoints.WaitForReadyAsync(key, options.ReadyWaitTimeout, time, context.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            held.Exit(key);
        }

        if (route is not null)
        {
            scaleFromZero.Settle(key);
            recorded.ColdStart.Observe(time.GetElapsedTime(holdStart).TotalSeconds);
        }
        else
        {
            LogNoReadyReplica(logger, key.ToString(), _readyWaitText);
            await GatewayErrors.WriteAsync(context, StatusCodes.Status504GatewayTimeout,
                $"function '{key.Name}' in namespace '{key.Namespace}' has no ready replica after {_readyWaitText}; retry later",
                RetryAfterSeconds).ConfigureAwait(false);
        }

        return route;
    }

    /// <summary>Adds the OpenFaaS request headers, seeds the response ones, rewrites the path; returns a generated call id.</summary>
    private string? PrepareRequest(HttpContext context, int tokenLength)
    {
        var request = context.Request;
        var headers = request.Headers;
        var responseHeaders = context.Response.Headers;

        string? generated = null;
        if (StringValues.IsNullOrEmpty(headers[Headers.CallId]))
        {
            generated = Guid.NewGuid().ToString();
            headers[Headers.CallId] = generated;
            responseHeaders[Headers.CallId] = generated;
        }

        var start = UnixNanoseconds(time).ToString(CultureInfo.InvariantCulture);
        headers[Headers.StartTime] = start;
        responseHeaders[Headers.StartTime] = start;

        if (!headers.ContainsKey(XForwardedHost) && request.Host.HasValue)
        {
            headers[XForwardedHost] = request.Host.Value;
        }

        if (!headers.ContainsKey(XForwardedFor) && context.Connection.RemoteIpAddress is { } remote)
        {
            headers[XForwardedFor] = remote.ToString();
        }

        // The replica sees the rest of the path after /function/{name} (at least "/").
        var path = request.Path.Value ?? "";
        var cut = FunctionPrefixLength + tokenLength;
        request.Path = cut < path.Length ? new PathString(path[cut..]) : Root;
        return generated;
    }

    private async Task HandleErrorAsync(HttpContext context, FunctionRoute route, Replica replica, ForwarderError error, string? callId)
    {
        var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        if (context.RequestAborted.IsCancellationRequested
            || error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled)
        {
            LogClientCanceled(logger, route.Qualified, error);
            return;
        }

        if (context.Response.HasStarted)
        {
            LogFailedAfterStart(logger, route.Qualified, replica.Id, error, exception);
            return;
        }

        if (GatewayErrors.FindTooLarge(exception) is { } tooLarge)
        {
            await WriteTooLargeAsync(context, tooLarge).ConfigureAwait(false);
            return;
        }

        (int status, string message) = error switch
        {
            ForwarderError.RequestTimedOut =>
                (StatusCodes.Status504GatewayTimeout, $"function '{route.Key.Name}' did not answer within {_upstreamTimeoutText}"),
            ForwarderError.RequestBodyClient =>
                (StatusCodes.Status400BadRequest, $"reading the request body for '{route.Key.Name}' failed: {Reason(exception)}"),
            _ => (StatusCodes.Status502BadGateway, $"replica of '{route.Key.Name}' failed: {Reason(exception)}"),
        };

        LogForwardFailed(logger, route.Qualified, replica.Id, error, status, exception);
        await GatewayErrors.WriteAsync(context, status, message, callId: callId).ConfigureAwait(false);
    }

    private Task WriteTooLargeAsync(HttpContext context, Exception? cause)
    {
        LogTooLarge(logger, context.Request.ContentLength, options.MaxRequestBody, cause?.Message);
        return GatewayErrors.WriteAsync(context, StatusCodes.Status413PayloadTooLarge,
            $"request body is larger than the gateway's limit of {options.MaxRequestBody} bytes (max_request_body)");
    }

    private static string Reason(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection refused",
                    SocketError.ConnectionReset => "connection reset",
                    SocketError.TimedOut => "connect timed out",
                    _ => socket.Message,
                };
            }
        }

        return exception is null ? "no response" : ProviderClient.Reason(exception);
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Debug, Message = "Holding call to {Function} for up to {Timeout} until a replica is ready")]
    private static partial void LogHolding(ILogger logger, string function, string timeout);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "No ready replica of {Function} within {Timeout}; answered 504")]
    private static partial void LogNoReadyReplica(ILogger logger, string function, string timeout);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Could not look up {Function} at the controller: {Error}")]
    private static partial void LogLookupFailed(ILogger logger, string function, string error);

    [LoggerMessage(EventId = 203, Level = LogLevel.Debug, Message = "Client canceled the call to {Function} ({Error})")]
    private static partial void LogClientCanceled(ILogger logger, string function, ForwarderError error);

    [LoggerMessage(EventId = 207, Level = LogLevel.Debug, Message = "Client canceled the call to {Function} while it was held")]
    private static partial void LogClientCanceledWhileHeld(ILogger logger, string function);

    [LoggerMessage(EventId = 208, Level = LogLevel.Warning, Message = "{Function} already has {Limit} calls held waiting for a ready replica; answered 503")]
    private static partial void LogHoldQueueFull(ILogger logger, string function, int limit);

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "Call to {Function} via replica {Replica} failed after the response started ({Error})")]
    private static partial void LogFailedAfterStart(ILogger logger, string function, string replica, ForwarderError error, Exception? exception);

    [LoggerMessage(EventId = 205, Level = LogLevel.Warning, Message = "Call to {Function} via replica {Replica} failed ({Error}); answered {Status}")]
    private static partial void LogForwardFailed(ILogger logger, string function, string replica, ForwarderError error, int status, Exception? exception);

    [LoggerMessage(EventId = 206, Level = LogLevel.Information, Message = "Rejected a request body (declared length {Length}) over the {Limit} byte limit {Cause}")]
    private static partial void LogTooLarge(ILogger logger, long? length, long limit, string? cause);
}

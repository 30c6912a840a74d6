using System.Text.Json;
using Faas.Contracts;
using Faas.Contracts.Naming;
using Faas.Gateway.Configuration;
using Faas.Gateway.Endpoints;
using Faas.Gateway.Http;
using Faas.Gateway.Invoke;
using Faas.Gateway.Provider;
using Faas.Nats;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace Faas.Gateway.Async;

/// <summary>
/// <c>POST /async-function/{name}[.{ns}][/{**path}]</c> and <c>GET /async-function/{callId}</c>.
/// </summary>
/// <remarks>
/// Enqueue:
/// 1. 503 while NATS is not configured or not ready (the message says which keys or why).
/// 2. Validate <c>X-Call-Id</c> and <c>X-Callback-Url</c> (400) and the body size (413).
/// 3. Resolve the function like a sync call: routing table, then one controller lookup (404).
/// 4. Record status <c>queued</c> (only if the call has none: a client retry keeps the first one).
/// 5. Publish with <c>Nats-Msg-Id</c> = call id; answer 202 only after JetStream's ack.
/// </remarks>
public sealed partial class AsyncHandler(
    GatewayOptions gatewayOptions,
    AsyncQueue queue,
    EndpointTable endpoints,
    FunctionLookup lookup,
    TimeProvider time,
    ILogger<AsyncHandler> logger)
{
    public const string NameRouteKey = "name";
    public const string CallIdRouteKey = "callId";
    private const string Prefix = "/async-function/";
    private const int RetryAfterSeconds = 5;
    private const int CancelAttempts = 5;

    private static readonly HashSet<string> SkippedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Upgrade", "Expect", "TE", "Trailer",
        "Proxy-Connection", Headers.CallbackUrl,
    };

    public async Task EnqueueAsync(HttpContext context)
    {
        // 1. Configured and ready.
        if (await RejectUnlessReadyAsync(context).ConfigureAwait(false))
        {
            return;
        }

        var request = context.Request;
        var token = context.Request.RouteValues[NameRouteKey] as string ?? "";
        var (name, ns) = FunctionNames.Split(token, gatewayOptions.FunctionNamespace);

        // 2. Input.
        var callId = request.Headers[Headers.CallId].ToString();
        if (callId.Length == 0)
        {
            callId = Guid.NewGuid().ToString();
        }
        else if (!CallIds.IsValid(callId))
        {
            await GatewayErrors.WriteAsync(context, StatusCodes.Status400BadRequest,
                $"{Headers.CallId} '{callId}' is invalid: {CallIds.Rule}").ConfigureAwait(false);
            return;
        }

        string? callbackUrl = null;
        var callbackText = request.Headers[Headers.CallbackUrl].ToString();
        if (callbackText.Length > 0)
        {
            if (!Uri.TryCreate(callbackText, UriKind.Absolute, out var callback) || (callback.Scheme != Uri.UriSchemeHttp && callback.Scheme != Uri.UriSchemeHttps))
            {
                await GatewayErrors.WriteAsync(context, StatusCodes.Status400BadRequest,
                    $"{Headers.CallbackUrl} '{callbackText}' is not an absolute http(s) URL, e.g. http://receiver:8000/done").ConfigureAwait(false);
                return;
            }

            callbackUrl = callback.ToString();
        }

        var limit = queue.MaxBody;
        if (request.ContentLength > limit)
        {
            await WriteTooLargeAsync(context, limit).ConfigureAwait(false);
            return;
        }

        // 3. Known function?
        var key = new FunctionKey(name, ns);
        if (!endpoints.Current.TryGet(key, out _))
        {
            var found = FunctionNames.IsValid(name) && FunctionNames.IsValid(ns)
                ? await lookup.LookupAsync(key, context.RequestAborted).ConfigureAwait(false)
                : new ProviderResult<LookupOutcome>(LookupOutcome.NotFound, null);
            if (found.Value == LookupOutcome.NotFound)
            {
                await GatewayErrors.WriteAsync(context, StatusCodes.Status404NotFound,
                    $"function '{name}' not found in namespace '{ns}'").ConfigureAwait(false);
                return;
            }

            if (found.Value == LookupOutcome.Unreachable)
            {
                await GatewayErrors.WriteAsync(context, StatusCodes.Status502BadGateway,
                    $"cannot look up function '{name}' in namespace '{ns}': {found.Error}").ConfigureAwait(false);
                return;
            }
        }

        var body = await ReadBodyAsync(context, limit).ConfigureAwait(false);
        if (body is null)
        {
            await WriteTooLargeAsync(context, limit).ConfigureAwait(false);
            return;
        }

        var path = request.Path.Value ?? "";
        var cut = Prefix.Length + token.Length;
        var call = new AsyncCall
        {
            CallId = callId,
            Function = name,
            Namespace = ns,
            Method = request.Method,
            Path = cut < path.Length ? path[cut..] : "/",
            Query = request.QueryString.Value ?? "",
            Headers = CopyHeaders(request.Headers),
            CallbackUrl = callbackUrl,
            EnqueuedAt = time.GetUtcNow(),
        };

        // 4. + 5. Status, then the durable write.
        var created = false;
        try
        {
            created = await queue.TryCreateStatusAsync(new CallStatus
            {
                CallId = callId,
                Function = FunctionNames.Qualified(name, ns),
                Status = CallStatus.Queued,
                EnqueuedAt = call.EnqueuedAt,
            }, context.RequestAborted).ConfigureAwait(false);
            var duplicate = await queue.EnqueueAsync(call, body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            LogEnqueued(logger, callId, call.Function, call.Namespace, duplicate);
        }
        catch (Exception e) when (e is NatsException or TimeoutException or IOException or InvalidOperationException)
        {
            LogEnqueueFailed(logger, callId, e.Message);
            if (created)
            {
                await TryForgetAsync(callId).ConfigureAwait(false);
            }

            await GatewayErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
                $"the call was not queued: NATS at {queue.Options.NatsUrl} did not store it ({e.Message}); retry with the same {Headers.CallId}",
                RetryAfterSeconds, callId).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.Headers[Headers.CallId] = callId;
    }

    /// <summary>Best effort: a call that was not stored should not show as queued.</summary>
    private async Task TryForgetAsync(string callId)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await queue.DeleteStatusAsync(callId, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NatsException or TimeoutException or OperationCanceledException)
        {
            // NATS is away; the status expires with call_status_ttl.
        }
    }

    /// <summary><c>GET /async-function/{callId}</c>: the status as JSON, 404 when unknown or expired.</summary>
    public async Task GetStatusAsync(HttpContext context)
    {
        if (await RejectUnlessReadyAsync(context).ConfigureAwait(false))
        {
            return;
        }

        var callId = context.Request.RouteValues[CallIdRouteKey]?.ToString() ?? "";
        if (!CallIds.IsValid(callId))
        {
            await GatewayErrors.WriteAsync(context, StatusCodes.Status400BadRequest, $"'{callId}' is not a call id: {CallIds.Rule}").ConfigureAwait(false);
            return;
        }

        CallStatus? status;
        try
        {
            status = await queue.GetStatusAsync(callId, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NatsException or TimeoutException)
        {
            await GatewayErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, $"cannot read the call status: {e.Message}", RetryAfterSeconds).ConfigureAwait(false);
            return;
        }

        if (status is null)
        {
            await GatewayErrors.WriteAsync(context, StatusCodes.Status404NotFound,
                $"call '{callId}' is unknown or its status expired (kept for {GatewayErrors.Format(queue.Options.CallStatusTtl)})").ConfigureAwait(false);
            return;
        }

        await WriteStatusAsync(context, status).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>DELETE /async-function/{callId}</c>: a queued call (not started yet, or waiting for a retry)
    /// becomes <c>cancelled</c> (the worker skips it, no callback); 200 with the status, also when it
    /// already was cancelled. 409 once it is running or
    /// finished, 404 when unknown. The change is a compare-and-set on the status's revision, so it
    /// cannot slip in after a worker has claimed the call.
    /// </summary>
    public async Task CancelAsync(HttpContext context)
    {
        if (await RejectUnlessReadyAsync(context).ConfigureAwait(false))
        {
            return;
        }

        var callId = context.Request.RouteValues[CallIdRouteKey]?.ToString() ?? "";
        if (!CallIds.IsValid(callId))
        {
            await GatewayErrors.WriteAsync(context, StatusCodes.Status400BadRequest, $"'{callId}' is not a call id: {CallIds.Rule}").ConfigureAwait(false);
            return;
        }

        try
        {
            for (var attempt = 0; attempt < CancelAttempts; attempt++)
            {
                if (await queue.GetStatusEntryAsync(callId, context.RequestAborted).ConfigureAwait(false) is not { } entry)
                {
                    await GatewayErrors.WriteAsync(context, StatusCodes.Status404NotFound,
                        $"call '{callId}' is unknown or its status expired (kept for {GatewayErrors.Format(queue.Options.CallStatusTtl)})").ConfigureAwait(false);
                    return;
                }

                var (status, revision) = entry;
                if (status.Status == CallStatus.Cancelled)
                {
                    await WriteStatusAsync(context, status).ConfigureAwait(false);
                    return;
                }

                if (status.Status != CallStatus.Queued)
                {
                    await GatewayErrors.WriteAsync(context, StatusCodes.Status409Conflict,
                        $"call '{callId}' is {status.Status}; only a queued call (not yet started, or waiting for a retry) can be cancelled").ConfigureAwait(false);
                    return;
                }

                var cancelled = status with { Status = CallStatus.Cancelled, FinishedAt = time.GetUtcNow() };
                if (await queue.TryUpdateStatusAsync(cancelled, revision, context.RequestAborted).ConfigureAwait(false))
                {
                    LogCancelled(logger, callId, status.Function);
                    await WriteStatusAsync(context, cancelled).ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (Exception e) when (e is NatsException or TimeoutException)
        {
            await GatewayErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, $"cannot cancel the call: {e.Message}", RetryAfterSeconds).ConfigureAwait(false);
            return;
        }

        await GatewayErrors.WriteAsync(context, StatusCodes.Status409Conflict, $"call '{callId}' kept changing while cancelling it; ask again").ConfigureAwait(false);
    }

    private static Task WriteStatusAsync(HttpContext context, CallStatus status)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, status, AsyncJsonContext.Default.CallStatus, context.RequestAborted);
    }

    /// <summary>Writes 503 and returns true unless the queue can take calls.</summary>
    internal async Task<bool> RejectUnlessReadyAsync(HttpContext context)
    {
        switch (queue.State)
        {
            case AsyncQueueState.NotConfigured:
                await GatewayErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, AsyncOptionsReader.NotConfiguredMessage).ConfigureAwait(false);
                return true;
            case AsyncQueueState.Connecting:
                await GatewayErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
                    $"asynchronous invocation is unavailable: {queue.LastError ?? "connecting to NATS"}; the gateway keeps retrying",
                    RetryAfterSeconds).ConfigureAwait(false);
                return true;
            default:
                return false;
        }
    }

    private static Dictionary<string, string[]> CopyHeaders(IHeaderDictionary headers)
    {
        var result = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in headers)
        {
            if (!SkippedHeaders.Contains(name))
            {
                result[name] = values.Where(v => v is not null).Select(v => v!).ToArray();
            }
        }

        return result;
    }

    /// <summary>The whole body, or null when it exceeds <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext context, long limit)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var n = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false);
            if (n == 0)
            {
                return buffer.ToArray();
            }

            if (buffer.Length + n > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, n);
        }
    }

    private static Task WriteTooLargeAsync(HttpContext context, long limit) =>
        GatewayErrors.WriteAsync(context, StatusCodes.Status413PayloadTooLarge,
            $"the request body is larger than max_async_body ({limit} bytes); send a smaller body or raise max_async_body (and the NATS server's max_payload)");

    [LoggerMessage(EventId = 5101, Level = LogLevel.Debug, Message = "Queued call {CallId} for {Function}.{Namespace} (duplicate: {Duplicate})")]
    private static partial void LogEnqueued(ILogger logger, string callId, string function, string @namespace, bool duplicate);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Could not queue call {CallId}: {Reason}")]
    private static partial void LogEnqueueFailed(ILogger logger, string callId, string reason);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Information, Message = "Call {CallId} to {Function}: queued -> cancelled")]
    private static partial void LogCancelled(ILogger logger, string callId, string function);
}

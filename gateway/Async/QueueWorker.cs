using System.Collections.Concurrent;
using System.Diagnostics;
using Faas.Contracts;
using Faas.Contracts.Naming;
using Faas.Gateway.Configuration;
using Faas.Nats;
using Faas.Nats.JetStream;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Faas.Gateway.Async;

/// <summary>
/// Runs queued calls: pulls from the durable consumer, invokes each through the gateway's own
/// <c>/function/...</c> route (so routing, scale-from-zero and metrics are those of sync calls),
/// retries with backoff, dead-letters what runs out of attempts and tells the callback.
/// </summary>
/// <remarks>
/// Fetch: one pull request for as many messages as there are free slots of <c>max_inflight</c>
/// (at most <c>fetch_batch</c>); each message runs on its own task and frees its slot when done.
/// Per message:
/// 1. Decode; wait for a slot of the function (<c>max_inflight_per_function</c>), sending
///    in-progress acks every ack_wait/3 from receipt until the end.
/// 2. Claim: status <c>running</c> by compare-and-set, or ack and skip a <c>cancelled</c> call;
///    invoke with the stored method, path, query, headers and body.
/// 3. Retryable (retry codes, connection error, <c>X-OpenFaaS-Internal</c>) with attempts left →
///    status <c>queued</c>, NAK with backoff (or the function's <c>Retry-After</c>).
/// 4. Out of attempts → dead-letter stream, callback with the failure, TERM, status <c>failed</c>.
/// 5. Otherwise → callback with the response, ACK, status <c>succeeded</c>/<c>failed</c>.
/// The callback is sent before the ack, so a crash in between repeats it (at-least-once).
/// </remarks>
public sealed partial class QueueWorker(
    AsyncQueue queue,
    GatewayOptions gatewayOptions,
    CallbackSender callbacks,
    FunctionRetryPolicies policies,
    IServer server,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<QueueWorker> logger) : BackgroundService
{
    /// <summary>How long a graceful stop waits for calls in flight before abandoning them (they are redelivered).</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan FetchExpiry = TimeSpan.FromSeconds(5);
    private static readonly HashSet<string> SkippedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Transfer-Encoding", "Connection", Headers.CallId, Headers.Internal,
    };

    private readonly AsyncOptions _options = queue.Options;
    private readonly SemaphoreSlim _slots = new(queue.Options.MaxInflight, queue.Options.MaxInflight);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _perFunction = new();
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        MaxConnectionsPerServer = 1024,
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    private string? _invokeBase;
    private int _disposed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await queue.Ready.WaitAsync(stoppingToken).ConfigureAwait(false);
            await WaitForStartAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        _invokeBase = (_options.GatewayUrl?.GetLeftPart(UriPartial.Path) ?? OwnAddress()).TrimEnd('/');
        LogStarted(logger, _options.Consumer, _invokeBase, _options.MaxInflight, _options.MaxInflightPerFunction);

        NatsJSConsumer? consumer = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            // One slot is waited for; every other free one (up to fetch_batch) joins the same pull
            // request, so a worker with room asks once for several calls instead of once per call.
            try
            {
                await _slots.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            var reserved = 1;
            while (reserved < _options.FetchBatch && _slots.Wait(0))
            {
                reserved++;
            }

            var received = 0;
            var failed = false;
            try
            {
                consumer ??= await queue.JetStream.CreateOrUpdateConsumerAsync(_options.Stream, queue.ConsumerConfig(), stoppingToken).ConfigureAwait(false);
                await foreach (var message in consumer.FetchAsync<byte[]>(new NatsJSFetchOpts { MaxMsgs = reserved, Expires = FetchExpiry }, stoppingToken)
                    .ConfigureAwait(false))
                {
                    // Each message owns one reserved slot from here; RunAsync gives it back.
                    received++;
                    var task = RunAsync(message);
                    _inFlight.TryAdd(task, 0);
                    _ = task.ContinueWith(t => _inFlight.TryRemove(t, out _), TaskScheduler.Default);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is NatsException or TimeoutException or IOException or InvalidOperationException)
            {
                consumer = null;
                failed = true;
                LogFetchFailed(logger, e.Message);
            }
            finally
            {
                if (reserved > received)
                {
                    _slots.Release(reserved - received);
                }
            }

            if (failed)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        // Graceful stop: no more fetches; let the calls in flight finish, within bounds.
        var running = _inFlight.Keys.ToArray();
        LogDraining(logger, running.Length);
        try
        {
            await Task.WhenAll(running).WaitAsync(DrainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogDrainTimedOut(logger, _inFlight.Count);
        }
        finally
        {
            await _abort.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task RunAsync(NatsJSMsg<byte[]> msg)
    {
        try
        {
            await ProcessAsync(msg).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Not acked (NATS away, or the worker is being torn down): JetStream redelivers after ack_wait.
            LogProcessFailed(logger, msg.Subject, e.Message);
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task ProcessAsync(NatsJSMsg<byte[]> msg)
    {
        var abort = _abort.Token;

        // 1. Decode, progress, per-function slot.
        var call = AsyncMessages.Decode(msg.Headers);
        if (call is null)
        {
            LogUndecodable(logger, msg.Subject);
            await msg.AckTerminateAsync(cancellationToken: abort).ConfigureAwait(false);
            return;
        }

        var body = msg.Data ?? [];
        var attempt = (int)Math.Max(1, msg.Metadata?.NumDelivered ?? 1);
        var policy = await policies.GetAsync(call.Function, call.Namespace, abort).ConfigureAwait(false);
        var qualified = FunctionNames.Qualified(call.Function, call.Namespace);
        using var progress = new ProgressTicker(msg, _options.AckWait / 3, abort);
        var functionSlots = _perFunction.GetOrAdd(qualified, _ => new SemaphoreSlim(_options.MaxInflightPerFunction, _options.MaxInflightPerFunction));
        await functionSlots.WaitAsync(abort).ConfigureAwait(false);
        InvokeResult result;
        var started = time.GetUtcNow();
        try
        {
            // 2. Running (unless cancelled meanwhile), invoke.
            if (!await TryClaimAsync(NewStatus(call, CallStatus.Running, attempt) with { StartedAt = started }).ConfigureAwait(false))
            {
                LogSkippedCancelled(logger, call.CallId, qualified);
                await progress.StopAsync().ConfigureAwait(false);
                await msg.AckAsync(cancellationToken: abort).ConfigureAwait(false);
                return;
            }

            result = await InvokeAsync(call, body, abort).ConfigureAwait(false);
        }
        finally
        {
            functionSlots.Release();
        }

        var retryable = result.StatusCode is not { } code || result.Internal || policy.IsRetryable(code);
        if (retryable && attempt < policy.MaxAttempts)
        {
            // 3. Again later.
            var delay = policy.Delay(attempt, result.RetryAfter, Random.Shared);
            LogRetrying(logger, call.CallId, qualified, attempt, result.Describe(), delay.TotalMilliseconds);
            await TryPutStatusAsync(NewStatus(call, CallStatus.Queued, attempt) with
            {
                StartedAt = started,
                LastStatusCode = result.StatusCode,
                Error = result.Describe(),
            }).ConfigureAwait(false);
            await progress.StopAsync().ConfigureAwait(false);
            await msg.NakAsync(delay: delay, cancellationToken: abort).ConfigureAwait(false);
            return;
        }

        var finished = time.GetUtcNow();
        string? callbackError = null;
        if (retryable)
        {
            // 4. Out of attempts.
            var failure = new CallFailure(attempt, result.StatusCode, result.Describe(), finished) { Body = result.Body };
            await queue.PublishDeadLetterAsync(call with { Failure = failure }, body, abort).ConfigureAwait(false);
            LogDeadLettered(logger, call.CallId, qualified, attempt, result.Describe());
            callbackError = await callbacks.SendAsync(call, result with { StatusCode = result.StatusCode ?? StatusCodes.Status503ServiceUnavailable }, abort).ConfigureAwait(false);
            await progress.StopAsync().ConfigureAwait(false);
            await msg.AckTerminateAsync(cancellationToken: abort).ConfigureAwait(false);
            await TryPutStatusAsync(NewStatus(call, CallStatus.Failed, attempt) with
            {
                StartedAt = started,
                FinishedAt = finished,
                LastStatusCode = result.StatusCode,
                Error = result.Describe(),
                CallbackError = callbackError,
            }).ConfigureAwait(false);
            return;
        }

        // 5. Done.
        callbackError = await callbacks.SendAsync(call, result, abort).ConfigureAwait(false);
        await progress.StopAsync().ConfigureAwait(false);
        await msg.AckAsync(cancellationToken: abort).ConfigureAwait(false);
        await TryPutStatusAsync(NewStatus(call, result.StatusCode < 400 ? CallStatus.Succeeded : CallStatus.Failed, attempt) with
        {
            StartedAt = started,
            FinishedAt = finished,
            LastStatusCode = result.StatusCode,
            Error = result.StatusCode < 400 ? null : result.Describe(),
            CallbackError = callbackError,
        }).ConfigureAwait(false);
        LogCompleted(logger, call.CallId, qualified, attempt, result.StatusCode ?? 0);
    }

    private async Task<InvokeResult> InvokeAsync(AsyncCall call, byte[] body, CancellationToken abort)
    {
        var url = $"{_invokeBase}/function/{Uri.EscapeDataString(call.Function)}.{Uri.EscapeDataString(call.Namespace)}{new PathString(call.Path).ToUriComponent()}{call.Query}";
        using var request = new HttpRequestMessage(new HttpMethod(call.Method), url);
        if (body.Length > 0 || call.Method is not ("GET" or "HEAD" or "DELETE"))
        {
            request.Content = new ByteArrayContent(body);
        }

        foreach (var (name, values) in call.Headers)
        {
            if (SkippedHeaders.Contains(name))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, values);
            }
        }

        request.Headers.TryAddWithoutValidation(Headers.CallId, call.CallId);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(abort);
        timeout.CancelAfter(gatewayOptions.UpstreamTimeout + gatewayOptions.ReadyWaitTimeout + TimeSpan.FromSeconds(10));
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var content = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            var headers = response.Headers.Concat(response.Content.Headers)
                .Select(h => new KeyValuePair<string, string[]>(h.Key, h.Value.ToArray()))
                .ToList();
            var retryAfter = response.Headers.RetryAfter is { } ra
                ? ra.Delta ?? (ra.Date is { } date ? date - time.GetUtcNow() : null)
                : null;
            return new InvokeResult((int)response.StatusCode, headers, content, null, retryAfter,
                response.Headers.Contains(Headers.Internal), clock.Elapsed);
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !abort.IsCancellationRequested))
        {
            return new InvokeResult(null, [], [], e is OperationCanceledException ? "timed out" : Provider.ProviderClient.Reason(e), null, false, clock.Elapsed);
        }
    }

    /// <summary>
    /// Moves the status to <c>running</c> with a compare-and-set, so a cancel and a start cannot both
    /// win; false when the call was cancelled. Without a readable status (expired, NATS trouble) the
    /// call runs: losing a status must not lose the call.
    /// </summary>
    private async Task<bool> TryClaimAsync(CallStatus running)
    {
        try
        {
            for (var attempt = 0; attempt < 5; attempt++)
            {
                if (await queue.GetStatusEntryAsync(running.CallId, _abort.Token).ConfigureAwait(false) is not { } entry)
                {
                    break;
                }

                if (entry.Status.Status == CallStatus.Cancelled)
                {
                    return false;
                }

                if (await queue.TryUpdateStatusAsync(running, entry.Revision, _abort.Token).ConfigureAwait(false))
                {
                    return true;
                }
            }
        }
        catch (Exception e) when (e is NatsException or TimeoutException)
        {
            LogStatusFailed(logger, running.CallId, running.Status, e.Message);
            return true;
        }

        await TryPutStatusAsync(running).ConfigureAwait(false);
        return true;
    }

    private async Task TryPutStatusAsync(CallStatus status)
    {
        try
        {
            await queue.PutStatusAsync(status, _abort.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NatsException or TimeoutException)
        {
            LogStatusFailed(logger, status.CallId, status.Status, e.Message);
        }
    }

    private static CallStatus NewStatus(AsyncCall call, string status, int attempts) => new()
    {
        CallId = call.CallId,
        Function = FunctionNames.Qualified(call.Function, call.Namespace),
        Status = status,
        Attempts = attempts,
        EnqueuedAt = call.EnqueuedAt,
    };

    private async Task WaitForStartAsync(CancellationToken stoppingToken)
    {
        if (lifetime.ApplicationStarted.IsCancellationRequested)
        {
            return;
        }

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
    }

    /// <summary>This gateway's own address, with a wildcard bind turned into loopback.</summary>
    private string OwnAddress()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? $"http://127.0.0.1:{gatewayOptions.Port}";
        var uri = new Uri(address.Replace("://+", "://0.0.0.0").Replace("://*", "://0.0.0.0"));
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "127.0.0.1" : uri.Host;
        return $"{uri.Scheme}://{host}:{uri.Port}";
    }

    public override void Dispose()
    {
        // Registered as a singleton and as a hosted service: disposed twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        base.Dispose();
        _abort.Cancel();
        _abort.Dispose();
        _http.Dispose();
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "Queue worker {Consumer} started: invoking through {GatewayUrl}, max in flight {MaxInflight} ({PerFunction} per function)")]
    private static partial void LogStarted(ILogger logger, string consumer, string gatewayUrl, int maxInflight, int perFunction);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Warning, Message = "Fetching async calls failed: {Reason}; retrying")]
    private static partial void LogFetchFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Information, Message = "Queue worker stopping: draining {Count} calls in flight")]
    private static partial void LogDraining(ILogger logger, int count);

    [LoggerMessage(EventId = 5204, Level = LogLevel.Warning, Message = "Queue worker stopped with {Count} calls still in flight; JetStream redelivers them")]
    private static partial void LogDrainTimedOut(ILogger logger, int count);

    [LoggerMessage(EventId = 5205, Level = LogLevel.Warning, Message = "Async message on {Subject} failed before it was acknowledged: {Reason}; it will be redelivered")]
    private static partial void LogProcessFailed(ILogger logger, string subject, string reason);

    [LoggerMessage(EventId = 5206, Level = LogLevel.Error, Message = "Async message on {Subject} has no readable call; terminated")]
    private static partial void LogUndecodable(ILogger logger, string subject);

    [LoggerMessage(EventId = 5207, Level = LogLevel.Information, Message = "Call {CallId} to {Function} attempt {Attempt} failed ({Reason}); retrying in {DelayMs} ms")]
    private static partial void LogRetrying(ILogger logger, string callId, string function, int attempt, string reason, double delayMs);

    [LoggerMessage(EventId = 5208, Level = LogLevel.Warning, Message = "Call {CallId} to {Function} failed after {Attempts} attempts ({Reason}); moved to the dead-letter stream")]
    private static partial void LogDeadLettered(ILogger logger, string callId, string function, int attempts, string reason);

    [LoggerMessage(EventId = 5209, Level = LogLevel.Debug, Message = "Call {CallId} to {Function} finished after {Attempts} attempts with {Status}")]
    private static partial void LogCompleted(ILogger logger, string callId, string function, int attempts, int status);

    [LoggerMessage(EventId = 5210, Level = LogLevel.Warning, Message = "Could not record status {Status} of call {CallId}: {Reason}")]
    private static partial void LogStatusFailed(ILogger logger, string callId, string status, string reason);

    [LoggerMessage(EventId = 5211, Level = LogLevel.Information, Message = "Call {CallId} to {Function} was cancelled; skipped")]
    private static partial void LogSkippedCancelled(ILogger logger, string callId, string function);
}

/// <summary>The outcome of one attempt: a response (status, headers, body) or a transport error.</summary>
public sealed record InvokeResult(
    int? StatusCode,
    IReadOnlyList<KeyValuePair<string, string[]>> Headers,
    byte[] Body,
    string? Error,
    TimeSpan? RetryAfter,
    bool Internal,
    TimeSpan Duration)
{
    public string Describe() => StatusCode is { } code ? $"status {code}" : $"unreachable: {Error}";
}

/// <summary>Sends in-progress acks (<c>+WPI</c>) on a period until stopped, so long calls keep their lease.</summary>
internal sealed class ProgressTicker : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly Task _loop;

    public ProgressTicker(NatsJSMsg<byte[]> msg, TimeSpan period, CancellationToken abort)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(abort);
        var token = _stop.Token;
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(period > TimeSpan.FromMilliseconds(100) ? period : TimeSpan.FromMilliseconds(100));
            try
            {
                while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
                {
                    await msg.AckProgressAsync(cancellationToken: token).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or NatsException or TimeoutException)
            {
                // Stopped, or NATS is away: the lease runs out and the message is redelivered.
            }
        });
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}

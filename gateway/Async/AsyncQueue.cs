using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Faas.Nats;
using Faas.Nats.JetStream;
using Faas.Nats.JetStream.Models;
using Faas.Nats.KeyValue;

namespace Faas.Gateway.Async;

/// <summary>Whether the queue can take calls now.</summary>
public enum AsyncQueueState
{
    NotConfigured,
    Connecting,
    Ready,
}

/// <summary>The names of the NATS subjects and headers async calls use.</summary>
public static class AsyncMessages
{
    public const string CallHeader = "Faas-Call";
    public const string WorkSubjectPrefix = "faas.async.";
    public const string DeadSubjectPrefix = "faas.dead.";

    /// <summary>Headroom left under the server's max_payload for the NATS headers of a call.</summary>
    public const long HeaderRoom = 64 * 1024;

    public static string WorkSubject(string name, string @namespace) => $"{WorkSubjectPrefix}{@namespace}.{name}";

    public static string DeadSubject(string callId) => DeadSubjectPrefix + CallIds.KeyFor(callId);

    public static NatsHeaders Encode(AsyncCall call)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(call, AsyncJsonContext.Default.AsyncCall);
        return new NatsHeaders { [CallHeader] = Convert.ToBase64String(json) };
    }

    public static AsyncCall? Decode(NatsHeaders? headers)
    {
        if (headers is null || !headers.TryGetValue(CallHeader, out var value) || value.Count == 0)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(Convert.FromBase64String(value[0]!), AsyncJsonContext.Default.AsyncCall);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }
}

/// <summary>
/// The gateway's side of NATS for async calls: one connection, the work stream, the dead-letter
/// stream, the status bucket and the worker's consumer. Connects and creates them in the
/// background, retrying until it succeeds; until then <see cref="State"/> is
/// <see cref="AsyncQueueState.Connecting"/> and <see cref="LastError"/> says why.
/// </summary>
public sealed partial class AsyncQueue(AsyncOptions options, TimeProvider time, ILogger<AsyncQueue> logger) : BackgroundService, IAsyncDisposable
{
    private static readonly TimeSpan MinRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(5);

    private readonly NatsConnection? _connection = options.NatsUrl is null
        ? null
        : new NatsConnection(new NatsOpts { Url = options.NatsUrl, Name = "faas-gateway", ConnectTimeout = TimeSpan.FromSeconds(2), RequestTimeout = TimeSpan.FromSeconds(5) });

    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string? _lastError = $"connecting to NATS at {options.NatsUrl} (first attempt)";
    private NatsJSContext? _js;
    private NatsKVStore? _status;
    private long _maxBody = options.MaxAsyncBody;

    public AsyncOptions Options => options;

    public AsyncQueueState State => _connection is null
        ? AsyncQueueState.NotConfigured
        : _ready.Task.IsCompleted ? AsyncQueueState.Ready : AsyncQueueState.Connecting;

    /// <summary>Why the queue is not ready, or the latest NATS trouble.</summary>
    public string? LastError => _lastError;

    /// <summary>The body limit in force: <c>max_async_body</c>, lowered to fit the server's max_payload.</summary>
    public long MaxBody => Interlocked.Read(ref _maxBody);

    /// <summary>Completes when the streams, the bucket and the consumer exist.</summary>
    public Task Ready => _ready.Task;

    internal NatsJSContext JetStream => _js ?? throw new InvalidOperationException("the async queue is not ready");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_connection is null)
        {
            return;
        }

        _connection.ConnectionStateChanged += OnStateChanged;
        var wait = MinRetry;
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await EnsureAsync(stoppingToken).ConfigureAwait(false);
                _lastError = null;
                _ready.TrySetResult();
                LogReady(logger, options.NatsUrl!, options.Stream, MaxBody);
                return;
            }
            catch (Exception e) when (e is NatsException or TimeoutException or IOException)
            {
                _lastError = $"NATS at {options.NatsUrl} is not usable: {e.Message}";
                LogNotReady(logger, attempt, _lastError, wait.TotalMilliseconds);
            }

            try
            {
                await Task.Delay(wait, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            wait = TimeSpan.FromTicks(Math.Min(MaxRetry.Ticks, wait.Ticks * 2));
        }
    }

    private void OnStateChanged(object? sender, NatsConnectionStateChangedEventArgs e)
    {
        if (e.NewState != NatsConnectionState.Open)
        {
            if (e.Error is not null)
            {
                _lastError = $"NATS at {options.NatsUrl}: {e.Error.Message}";
            }

            return;
        }

        _lastError = null;
        if (_ready.Task.IsCompleted)
        {
            // A restarted server with a lost store needs the streams again; harmless otherwise.
            _ = Task.Run(async () =>
            {
                try
                {
                    await EnsureAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is NatsException or TimeoutException or IOException)
                {
                    LogEnsureAfterReconnectFailed(logger, ex.Message);
                }
            });
        }
    }

    /// <summary>Creates or updates the streams, the bucket and the consumer.</summary>
    private async Task EnsureAsync(CancellationToken cancellationToken)
    {
        await _connection!.ConnectAsync(cancellationToken).ConfigureAwait(false);
        var js = new NatsJSContext(_connection);
        if (_connection.ServerInfo is { MaxPayload: > 0 } info && info.MaxPayload - AsyncMessages.HeaderRoom < options.MaxAsyncBody)
        {
            var limit = Math.Max(0, info.MaxPayload - AsyncMessages.HeaderRoom);
            if (Interlocked.Exchange(ref _maxBody, limit) != limit)
            {
                LogBodyLimitLowered(logger, options.MaxAsyncBody, info.MaxPayload, limit);
            }
        }

        await js.CreateOrUpdateStreamAsync(new StreamConfig(options.Stream, [AsyncMessages.WorkSubjectPrefix + ">"])
        {
            Storage = StreamConfigStorage.File,
            DuplicateWindow = TimeSpan.FromMinutes(5),
            Description = "faas async calls",
        }, cancellationToken).ConfigureAwait(false);
        await js.CreateOrUpdateStreamAsync(new StreamConfig(options.DeadLetterStream, [AsyncMessages.DeadSubjectPrefix + ">"])
        {
            Storage = StreamConfigStorage.File,
            DuplicateWindow = TimeSpan.FromMinutes(5),
            Description = "faas async calls that ran out of attempts",
        }, cancellationToken).ConfigureAwait(false);

        var kv = new NatsKVContext(js);
        NatsKVStore store;
        try
        {
            store = await kv.CreateStoreAsync(new NatsKVConfig(options.StatusBucket) { MaxAge = options.CallStatusTtl, Storage = NatsKVStorageType.File }, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsJSApiException)
        {
            // Exists with other settings (e.g. another TTL): use it as it is.
            store = await kv.GetStoreAsync(options.StatusBucket, cancellationToken).ConfigureAwait(false);
        }

        if (options.QueueWorker)
        {
            await js.CreateOrUpdateConsumerAsync(options.Stream, ConsumerConfig(), cancellationToken).ConfigureAwait(false);
        }

        _js = js;
        _status = store;
    }

    internal ConsumerConfig ConsumerConfig() => new(options.Consumer)
    {
        DurableName = options.Consumer,
        AckPolicy = ConsumerConfigAckPolicy.Explicit,
        AckWait = options.AckWait,
        MaxDeliver = 10_000,
        MaxAckPending = Math.Max(1000, options.MaxInflight * 4),
        FilterSubject = AsyncMessages.WorkSubjectPrefix + ">",
    };

    /// <summary>Publishes a call and waits for JetStream's acknowledgement; true when it was a duplicate.</summary>
    public async Task<bool> EnqueueAsync(AsyncCall call, byte[] body, string? msgId = null, CancellationToken cancellationToken = default)
    {
        var ack = await JetStream.PublishAsync(
                AsyncMessages.WorkSubject(call.Function, call.Namespace),
                body,
                new NatsJSPubOpts { MsgId = msgId ?? call.CallId, ExpectedStream = options.Stream },
                AsyncMessages.Encode(call),
                cancellationToken)
            .ConfigureAwait(false);
        return ack.Duplicate;
    }

    /// <summary>Writes the status only if the call has none yet; false when it exists.</summary>
    public async Task<bool> TryCreateStatusAsync(CallStatus status, CancellationToken cancellationToken = default)
    {
        try
        {
            await Status.CreateAsync(CallIds.KeyFor(status.CallId), Serialize(status), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (NatsKVCreateException)
        {
            return false;
        }
    }

    public async Task PutStatusAsync(CallStatus status, CancellationToken cancellationToken = default) =>
        await Status.PutAsync(CallIds.KeyFor(status.CallId), Serialize(status), cancellationToken).ConfigureAwait(false);

    public async Task<CallStatus?> GetStatusAsync(string callId, CancellationToken cancellationToken = default)
    {
        try
        {
            var entry = await Status.GetEntryAsync<byte[]>(CallIds.KeyFor(callId), cancellationToken: cancellationToken).ConfigureAwait(false);
            return entry.Value is null ? null : JsonSerializer.Deserialize(entry.Value, AsyncJsonContext.Default.CallStatus);
        }
        catch (Exception e) when (e is NatsKVKeyNotFoundException or NatsKVKeyDeletedException or JsonException)
        {
            return null;
        }
    }

    /// <summary>The status with its bucket revision (for <see cref="TryUpdateStatusAsync"/>), or null when unknown or expired.</summary>
    public async Task<(CallStatus Status, ulong Revision)?> GetStatusEntryAsync(string callId, CancellationToken cancellationToken = default)
    {
        try
        {
            var entry = await Status.GetEntryAsync<byte[]>(CallIds.KeyFor(callId), cancellationToken: cancellationToken).ConfigureAwait(false);
            return entry.Value is null || JsonSerializer.Deserialize(entry.Value, AsyncJsonContext.Default.CallStatus) is not { } status
                ? null
                : (status, entry.Revision);
        }
        catch (Exception e) when (e is NatsKVKeyNotFoundException or NatsKVKeyDeletedException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes the status only if it is still at <paramref name="revision"/>; false when someone changed it meanwhile.</summary>
    public async Task<bool> TryUpdateStatusAsync(CallStatus status, ulong revision, CancellationToken cancellationToken = default)
    {
        try
        {
            await Status.UpdateAsync(CallIds.KeyFor(status.CallId), Serialize(status), revision, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (NatsKVWrongLastRevisionException)
        {
            return false;
        }
    }

    public async Task DeleteStatusAsync(string callId, CancellationToken cancellationToken = default) =>
        await Status.DeleteAsync(CallIds.KeyFor(callId), cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary>Stores a call that ran out of attempts, with its failure, in the dead-letter stream.</summary>
    public async Task PublishDeadLetterAsync(AsyncCall call, byte[] body, CancellationToken cancellationToken = default)
    {
        await JetStream.PublishAsync(
                AsyncMessages.DeadSubject(call.CallId),
                body,
                new NatsJSPubOpts { MsgId = call.CallId + ".dead." + call.Failure?.FailedAt.ToUnixTimeMilliseconds(), ExpectedStream = options.DeadLetterStream },
                AsyncMessages.Encode(call),
                cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>The dead letters, oldest first, at most <paramref name="limit"/>.</summary>
    public async Task<List<(AsyncCall Call, byte[] Body, ulong Sequence)>> ListDeadLettersAsync(int limit, CancellationToken cancellationToken = default)
    {
        var stream = await JetStream.GetStreamAsync(options.DeadLetterStream, cancellationToken).ConfigureAwait(false);
        var result = new List<(AsyncCall, byte[], ulong)>();
        var state = stream.Info.State;
        for (var seq = state.FirstSeq; seq <= state.LastSeq && seq > 0 && result.Count < limit; seq++)
        {
            var message = await GetRawAsync(new RawGet { Seq = seq }, cancellationToken).ConfigureAwait(false);
            if (message is not null)
            {
                result.Add(message.Value);
            }
        }

        return result;
    }

    /// <summary>The latest dead letter of a call, or null.</summary>
    public Task<(AsyncCall Call, byte[] Body, ulong Sequence)?> GetDeadLetterAsync(string callId, CancellationToken cancellationToken = default) =>
        GetRawAsync(new RawGet { LastBySubj = AsyncMessages.DeadSubject(callId) }, cancellationToken);

    /// <summary>Republishes a dead letter to the work stream and removes it from the dead-letter stream.</summary>
    public async Task RedriveAsync(AsyncCall call, byte[] body, ulong sequence, CancellationToken cancellationToken = default)
    {
        var again = call with { Failure = null, EnqueuedAt = time.GetUtcNow() };
        await EnqueueAsync(again, body, $"{call.CallId}.redrive.{sequence}", cancellationToken).ConfigureAwait(false);
        await PutStatusAsync(new CallStatus
        {
            CallId = call.CallId,
            Function = $"{call.Function}.{call.Namespace}",
            Status = CallStatus.Queued,
            EnqueuedAt = again.EnqueuedAt,
        }, cancellationToken).ConfigureAwait(false);
        var request = JsonSerializer.SerializeToUtf8Bytes(new RawDelete { Seq = sequence }, AsyncRawJsonContext.Default.RawDelete);
        await _connection!.RequestAsync<byte[], byte[]>(
                $"$JS.API.STREAM.MSG.DELETE.{options.DeadLetterStream}", request, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task<(AsyncCall Call, byte[] Body, ulong Sequence)?> GetRawAsync(RawGet get, CancellationToken cancellationToken)
    {
        var request = JsonSerializer.SerializeToUtf8Bytes(get, AsyncRawJsonContext.Default.RawGet);
        var reply = await _connection!.RequestAsync<byte[], byte[]>(
                $"$JS.API.STREAM.MSG.GET.{options.DeadLetterStream}", request, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        var response = JsonSerializer.Deserialize(reply.Data ?? [], AsyncRawJsonContext.Default.RawGetResponse);
        if (response?.Message is not { } message)
        {
            return null;
        }

        var call = AsyncMessages.Decode(ParseHeaders(message.Hdrs));
        return call is null ? null : (call, message.Data ?? [], message.Seq);
    }

    /// <summary>Parses the <c>NATS/1.0</c> header block a stored message carries.</summary>
    internal static NatsHeaders? ParseHeaders(byte[]? block)
    {
        if (block is not { Length: > 0 })
        {
            return null;
        }

        var headers = new NatsHeaders();
        var lines = Encoding.UTF8.GetString(block).Split("\r\n");
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0)
            {
                headers.Append(line[..colon].Trim(), line[(colon + 1)..].Trim());
            }
        }

        return headers;
    }

    private NatsKVStore Status => _status ?? throw new InvalidOperationException("the async queue is not ready");

    private static byte[] Serialize(CallStatus status) => JsonSerializer.SerializeToUtf8Bytes(status, AsyncJsonContext.Default.CallStatus);

    /// <summary>Closes the NATS connection (it flushes what is queued first, bounded).</summary>
    public async ValueTask DisposeAsync()
    {
        Dispose();
        if (_connection is not null)
        {
            _connection.ConnectionStateChanged -= OnStateChanged;
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Async queue ready on {Url}: stream {Stream}, max body {MaxBody} bytes")]
    private static partial void LogReady(ILogger logger, string url, string stream, long maxBody);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Async queue not ready (attempt {Attempt}): {Reason}; retrying in {WaitMs} ms")]
    private static partial void LogNotReady(ILogger logger, int attempt, string reason, double waitMs);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "max_async_body={Configured} does not fit the NATS server's max_payload={MaxPayload} with room for headers; using {Limit}")]
    private static partial void LogBodyLimitLowered(ILogger logger, long configured, long maxPayload, long limit);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Re-creating the async streams after a reconnect failed: {Reason}")]
    private static partial void LogEnsureAfterReconnectFailed(ILogger logger, string reason);
}

internal sealed record RawGet
{
    [JsonPropertyName("seq")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Seq { get; init; }

    [JsonPropertyName("last_by_subj")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? LastBySubj { get; init; }
}

internal sealed record RawDelete
{
    [JsonPropertyName("seq")]
    public ulong Seq { get; init; }

    [JsonPropertyName("no_erase")]
    public bool NoErase { get; init; } = true;
}

internal sealed record RawStoredMessage
{
    [JsonPropertyName("subject")]
    public string Subject { get; init; } = "";

    [JsonPropertyName("seq")]
    public ulong Seq { get; init; }

    [JsonPropertyName("hdrs")]
    public byte[]? Hdrs { get; init; }

    [JsonPropertyName("data")]
    public byte[]? Data { get; init; }
}

internal sealed record RawGetResponse
{
    [JsonPropertyName("message")]
    public RawStoredMessage? Message { get; init; }
}

[JsonSerializable(typeof(RawGet))]
[JsonSerializable(typeof(RawDelete))]
[JsonSerializable(typeof(RawGetResponse))]
internal sealed partial class AsyncRawJsonContext : JsonSerializerContext;

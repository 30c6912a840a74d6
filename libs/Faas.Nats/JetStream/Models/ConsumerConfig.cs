using System.Text.Json.Serialization;

namespace Faas.Nats.JetStream.Models;

/// <summary>A consumer's configuration; <see cref="AckPolicy"/> defaults to explicit, as pull consumers want.</summary>
public sealed record ConsumerConfig
{
    public ConsumerConfig()
    {
    }

    /// <summary>A durable consumer named <paramref name="name"/>.</summary>
    public ConsumerConfig(string name)
    {
        Name = name;
        DurableName = name;
    }

    public string? Name { get; init; }

    public string? DurableName { get; init; }

    public string? Description { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public ConsumerConfigDeliverPolicy DeliverPolicy { get; init; } = ConsumerConfigDeliverPolicy.All;

    public ulong OptStartSeq { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public ConsumerConfigAckPolicy AckPolicy { get; init; } = ConsumerConfigAckPolicy.Explicit;

    /// <summary>How long a delivered message may stay unacknowledged before it is redelivered.</summary>
    [JsonConverter(typeof(NanosecondsConverter))]
    public TimeSpan AckWait { get; init; }

    public long MaxDeliver { get; init; }

    /// <summary>Redelivery delays per attempt; overrides <see cref="AckWait"/>; needs MaxDeliver &gt; its length.</summary>
    [JsonConverter(typeof(NanosecondsListConverter))]
    public IReadOnlyList<TimeSpan>? Backoff { get; init; }

    public string? FilterSubject { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public ConsumerConfigReplayPolicy ReplayPolicy { get; init; } = ConsumerConfigReplayPolicy.Instant;

    public long MaxWaiting { get; init; }

    public long MaxAckPending { get; init; }

    /// <summary>An idle consumer is deleted after this long (ephemeral consumers only on 2.9).</summary>
    [JsonConverter(typeof(NanosecondsConverter))]
    public TimeSpan InactiveThreshold { get; init; }

    public int NumReplicas { get; init; }

    public bool MemStorage { get; init; }
}

public sealed record SequenceInfo
{
    public ulong ConsumerSeq { get; init; }

    public ulong StreamSeq { get; init; }
}

public sealed record ConsumerInfo
{
    public string StreamName { get; init; } = string.Empty;

    public string Name { get; init; } = string.Empty;

    public DateTimeOffset Created { get; init; }

    public ConsumerConfig Config { get; init; } = new();

    public SequenceInfo Delivered { get; init; } = new();

    public SequenceInfo AckFloor { get; init; } = new();

    public long NumAckPending { get; init; }

    public long NumRedelivered { get; init; }

    public long NumWaiting { get; init; }

    /// <summary>Messages in the stream matching the filter that have not been delivered yet.</summary>
    public ulong NumPending { get; init; }
}

internal sealed record ConsumerCreateRequest
{
    public string StreamName { get; init; } = string.Empty;

    public ConsumerConfig Config { get; init; } = new();
}

internal sealed record ConsumerDeleteResponse
{
    public bool Success { get; init; }
}

/// <summary>Body of <c>$JS.API.CONSUMER.MSG.NEXT.&lt;stream&gt;.&lt;consumer&gt;</c>.</summary>
internal sealed record PullRequest
{
    public int Batch { get; init; }

    public long MaxBytes { get; init; }

    [JsonConverter(typeof(NanosecondsConverter))]
    public TimeSpan Expires { get; init; }

    public bool NoWait { get; init; }

    [JsonConverter(typeof(NanosecondsConverter))]
    public TimeSpan IdleHeartbeat { get; init; }
}

/// <summary>The acknowledgement of a JetStream publish.</summary>
public sealed record PubAckResponse
{
    public string Stream { get; init; } = string.Empty;

    public ulong Seq { get; init; }

    /// <summary>True when the <c>Nats-Msg-Id</c> was seen within the duplicate window; nothing new was stored.</summary>
    public bool Duplicate { get; init; }

    public string? Domain { get; init; }
}

internal sealed record NakDelay
{
    [JsonConverter(typeof(NanosecondsConverter))]
    public TimeSpan Delay { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(ApiErrorEnvelope))]
[JsonSerializable(typeof(StreamConfig))]
[JsonSerializable(typeof(StreamInfo))]
[JsonSerializable(typeof(StreamDeleteResponse))]
[JsonSerializable(typeof(StreamMsgGetRequest))]
[JsonSerializable(typeof(StreamMsgGetResponse))]
[JsonSerializable(typeof(ConsumerCreateRequest))]
[JsonSerializable(typeof(ConsumerInfo))]
[JsonSerializable(typeof(ConsumerDeleteResponse))]
[JsonSerializable(typeof(PullRequest))]
[JsonSerializable(typeof(PubAckResponse))]
[JsonSerializable(typeof(NakDelay))]
internal sealed partial class JetStreamJsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;

namespace Faas.Nats.JetStream.Models;

/// <summary>
/// A stream's configuration. Zero values are left out of the JSON so the server applies its defaults
/// (unlimited msgs/bytes/age, one replica, a two-minute duplicate window).
/// </summary>
public sealed record StreamConfig
{
    public StreamConfig()
    {
    }

    public StreamConfig(string name, IReadOnlyList<string> subjects)
    {
        Name = name;
        Subjects = subjects;
    }

    public string? Name { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<string>? Subjects { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public StreamConfigRetention Retention { get; init; } = StreamConfigRetention.Limits;

    public long MaxConsumers { get; init; }

    public long MaxMsgs { get; init; }

    public long MaxBytes { get; init; }

    [JsonConverter(typeof(NanosecondsConverter))]
    public TimeSpan MaxAge { get; init; }

    public long MaxMsgsPerSubject { get; init; }

    public int MaxMsgSize { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public StreamConfigStorage Storage { get; init; } = StreamConfigStorage.File;

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public StreamConfigDiscard Discard { get; init; } = StreamConfigDiscard.Old;

    public int NumReplicas { get; init; }

    public bool NoAck { get; init; }

    /// <summary>Window in which a repeated <c>Nats-Msg-Id</c> is recognised as a duplicate.</summary>
    [JsonConverter(typeof(NanosecondsConverter))]
    public TimeSpan DuplicateWindow { get; init; }

    public bool Sealed { get; init; }

    public bool DenyDelete { get; init; }

    public bool DenyPurge { get; init; }

    public bool AllowRollupHdrs { get; init; }

    public bool AllowDirect { get; init; }
}

public sealed record StreamState
{
    public ulong Messages { get; init; }

    public ulong Bytes { get; init; }

    public ulong FirstSeq { get; init; }

    public ulong LastSeq { get; init; }

    public int ConsumerCount { get; init; }

    public long NumSubjects { get; init; }

    public long NumDeleted { get; init; }
}

public sealed record StreamInfo
{
    public StreamConfig Config { get; init; } = new();

    public DateTimeOffset Created { get; init; }

    public StreamState State { get; init; } = new();
}

internal sealed record StreamDeleteResponse
{
    public bool Success { get; init; }
}

internal sealed record StreamMsgGetRequest
{
    public ulong Seq { get; init; }

    public string? LastBySubj { get; init; }
}

internal sealed record StoredMessage
{
    public string Subject { get; init; } = string.Empty;

    public ulong Seq { get; init; }

    public byte[]? Hdrs { get; init; }

    public byte[]? Data { get; init; }

    public DateTimeOffset Time { get; init; }
}

internal sealed record StreamMsgGetResponse
{
    public StoredMessage? Message { get; init; }
}

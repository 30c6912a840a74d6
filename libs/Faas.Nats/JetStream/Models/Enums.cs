using System.Text.Json.Serialization;

namespace Faas.Nats.JetStream.Models;

[JsonConverter(typeof(JsonStringEnumConverter<StreamConfigRetention>))]
public enum StreamConfigRetention
{
    [JsonStringEnumMemberName("limits")]
    Limits,
    [JsonStringEnumMemberName("interest")]
    Interest,
    [JsonStringEnumMemberName("workqueue")]
    Workqueue,
}

[JsonConverter(typeof(JsonStringEnumConverter<StreamConfigStorage>))]
public enum StreamConfigStorage
{
    [JsonStringEnumMemberName("file")]
    File,
    [JsonStringEnumMemberName("memory")]
    Memory,
}

[JsonConverter(typeof(JsonStringEnumConverter<StreamConfigDiscard>))]
public enum StreamConfigDiscard
{
    [JsonStringEnumMemberName("old")]
    Old,
    [JsonStringEnumMemberName("new")]
    New,
}

[JsonConverter(typeof(JsonStringEnumConverter<ConsumerConfigAckPolicy>))]
public enum ConsumerConfigAckPolicy
{
    [JsonStringEnumMemberName("none")]
    None,
    [JsonStringEnumMemberName("all")]
    All,
    [JsonStringEnumMemberName("explicit")]
    Explicit,
}

[JsonConverter(typeof(JsonStringEnumConverter<ConsumerConfigDeliverPolicy>))]
public enum ConsumerConfigDeliverPolicy
{
    [JsonStringEnumMemberName("all")]
    All,
    [JsonStringEnumMemberName("last")]
    Last,
    [JsonStringEnumMemberName("new")]
    New,
    [JsonStringEnumMemberName("by_start_sequence")]
    ByStartSequence,
    [JsonStringEnumMemberName("by_start_time")]
    ByStartTime,
    [JsonStringEnumMemberName("last_per_subject")]
    LastPerSubject,
}

[JsonConverter(typeof(JsonStringEnumConverter<ConsumerConfigReplayPolicy>))]
public enum ConsumerConfigReplayPolicy
{
    [JsonStringEnumMemberName("instant")]
    Instant,
    [JsonStringEnumMemberName("original")]
    Original,
}

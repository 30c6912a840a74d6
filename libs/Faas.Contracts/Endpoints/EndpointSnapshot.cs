using System.Text.Json.Serialization;

namespace Faas.Contracts.Endpoints;

/// <summary>
/// One line of the controller's <c>GET /system/endpoints</c> NDJSON stream: the whole table of
/// functions and their ready replicas. The controller writes one on connect, one on every change,
/// and repeats the current one as a heartbeat at least every <see cref="EndpointStream.HeartbeatInterval"/>.
/// Whole snapshots (not deltas) keep the gateway correct after any missed line or reconnect.
/// </summary>
public sealed record EndpointSnapshot
{
    /// <summary>Increases on every change; a heartbeat repeats the current version.</summary>
    [JsonPropertyName("version")]
    public long Version { get; init; }

    [JsonPropertyName("functions")]
    public List<FunctionEndpoints> Functions { get; init; } = [];
}

public sealed record FunctionEndpoints
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("namespace")]
    public string Namespace { get; init; } = "";

    /// <summary>Desired replicas (0 when scaled to zero).</summary>
    [JsonPropertyName("replicas")]
    public int Replicas { get; init; }

    /// <summary>
    /// True while the function's replicas are paused (the warm tier): they are not in
    /// <see cref="Endpoints"/>, and a call should ask the controller to resume them (any scale request does).
    /// </summary>
    [JsonPropertyName("paused")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Paused { get; init; }

    /// <summary>Replicas that answered their readiness probe, in no particular order.</summary>
    [JsonPropertyName("endpoints")]
    public List<ReplicaEndpoint> Endpoints { get; init; } = [];
}

public sealed record ReplicaEndpoint
{
    /// <summary>Stable id of the replica (process backend: <c>name-xxxxx</c>).</summary>
    [JsonPropertyName("replica")]
    public string Replica { get; init; } = "";

    /// <summary>Base URL of the replica's watchdog, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    [JsonPropertyName("url")]
    public string Url { get; init; } = "";
}

public static class EndpointStream
{
    public const string Path = "/system/endpoints";
    public const string ContentType = "application/x-ndjson";

    /// <summary>The controller sends a line at least this often; a gateway that hears nothing for 3x this reconnects.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);
}

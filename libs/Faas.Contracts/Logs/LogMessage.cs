using System.Text.Json.Serialization;

namespace Faas.Contracts.Logs;

/// <summary>One line of the <c>GET /system/logs</c> NDJSON stream.</summary>
public sealed record LogMessage
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("namespace")]
    public string Namespace { get; init; } = "";

    /// <summary>The replica that wrote the line.</summary>
    [JsonPropertyName("instance")]
    public string Instance { get; init; } = "";

    [JsonPropertyName("timestamp")]
    public DateTimeOffset Timestamp { get; init; }

    [JsonPropertyName("text")]
    public string Text { get; init; } = "";
}

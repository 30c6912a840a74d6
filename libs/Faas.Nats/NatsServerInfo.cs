using System.Text.Json.Serialization;

namespace Faas.Nats;

/// <summary>The server's INFO.</summary>
public sealed record NatsServerInfo
{
    [JsonPropertyName("server_id")]
    public string? ServerId { get; init; }

    [JsonPropertyName("server_name")]
    public string? ServerName { get; init; }

    [JsonPropertyName("version")]
    public string? Version { get; init; }

    [JsonPropertyName("proto")]
    public int Proto { get; init; }

    [JsonPropertyName("headers")]
    public bool Headers { get; init; }

    [JsonPropertyName("max_payload")]
    public long MaxPayload { get; init; }

    [JsonPropertyName("auth_required")]
    public bool AuthRequired { get; init; }

    [JsonPropertyName("jetstream")]
    public bool JetStream { get; init; }

    [JsonPropertyName("client_id")]
    public ulong ClientId { get; init; }

    [JsonPropertyName("ldm")]
    public bool LameDuckMode { get; init; }
}

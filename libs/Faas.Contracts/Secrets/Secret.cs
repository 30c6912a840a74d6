using System.Text.Json.Serialization;

namespace Faas.Contracts.Secrets;

/// <summary>Body of <c>/system/secrets</c> calls; <see cref="RawValue"/> is used when <see cref="Value"/> is empty.</summary>
public sealed record Secret
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("namespace")]
    public string? Namespace { get; init; }

    [JsonPropertyName("value")]
    public string? Value { get; init; }

    /// <summary>Raw bytes, base64 on the wire as Go encodes <c>[]byte</c>.</summary>
    [JsonPropertyName("rawValue")]
    public byte[]? RawValue { get; init; }
}

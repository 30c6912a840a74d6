using System.Text.Json.Serialization;

namespace Faas.Contracts.Functions;

/// <summary>Body of <c>POST /system/scale-function/{name}</c>. Unlike OpenFaaS CE, 0 replicas is allowed.</summary>
public sealed record ScaleServiceRequest
{
    [JsonPropertyName("serviceName")]
    public string ServiceName { get; init; } = "";

    [JsonPropertyName("replicas")]
    public ulong Replicas { get; init; }

    [JsonPropertyName("namespace")]
    public string? Namespace { get; init; }
}

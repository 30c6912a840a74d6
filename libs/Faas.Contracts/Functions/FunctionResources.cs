using System.Text.Json.Serialization;

namespace Faas.Contracts.Functions;

/// <summary>CPU and memory of a function (Kubernetes quantity strings, e.g. <c>128Mi</c>, <c>100m</c>).</summary>
public sealed record FunctionResources
{
    [JsonPropertyName("memory")]
    public string? Memory { get; init; }

    [JsonPropertyName("cpu")]
    public string? Cpu { get; init; }
}

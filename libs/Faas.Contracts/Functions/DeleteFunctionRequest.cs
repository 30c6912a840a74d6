using System.Text.Json.Serialization;

namespace Faas.Contracts.Functions;

/// <summary>Body of <c>DELETE /system/functions</c>.</summary>
public sealed record DeleteFunctionRequest
{
    [JsonPropertyName("functionName")]
    public string FunctionName { get; init; } = "";

    [JsonPropertyName("namespace")]
    public string? Namespace { get; init; }
}

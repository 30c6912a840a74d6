using System.Text.Json.Serialization;

namespace Faas.Contracts.Functions;

/// <summary>One entry of <c>GET /system/functions</c> and the body of <c>GET /system/function/{name}</c>.</summary>
public sealed record FunctionStatus
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("image")]
    public string Image { get; init; } = "";

    [JsonPropertyName("namespace")]
    public string? Namespace { get; init; }

    [JsonPropertyName("envProcess")]
    public string? EnvProcess { get; init; }

    [JsonPropertyName("envVars")]
    public Dictionary<string, string>? EnvVars { get; init; }

    [JsonPropertyName("constraints")]
    public List<string>? Constraints { get; init; }

    [JsonPropertyName("secrets")]
    public List<string>? Secrets { get; init; }

    [JsonPropertyName("labels")]
    public Dictionary<string, string>? Labels { get; init; }

    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; init; }

    [JsonPropertyName("limits")]
    public FunctionResources? Limits { get; init; }

    [JsonPropertyName("requests")]
    public FunctionResources? Requests { get; init; }

    [JsonPropertyName("readOnlyRootFilesystem")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool ReadOnlyRootFilesystem { get; init; }

    [JsonPropertyName("invocationCount")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public double InvocationCount { get; init; }

    /// <summary>Desired replicas.</summary>
    [JsonPropertyName("replicas")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Replicas { get; init; }

    /// <summary>Ready replicas.</summary>
    [JsonPropertyName("availableReplicas")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong AvailableReplicas { get; init; }

    /// <summary>Always written, as Go writes a zero time as <c>0001-01-01T00:00:00Z</c>.</summary>
    [JsonPropertyName("createdAt")]
    public DateTimeOffset CreatedAt { get; init; }

    [JsonPropertyName("usage")]
    public FunctionUsage? Usage { get; init; }
}

/// <summary>Resource usage of a function (OpenFaaS Pro, <c>?usage=1</c>).</summary>
public sealed record FunctionUsage
{
    [JsonPropertyName("cpu")]
    public double Cpu { get; init; }

    [JsonPropertyName("totalMemoryBytes")]
    public double TotalMemoryBytes { get; init; }
}

using System.Text.Json.Serialization;

namespace Faas.Contracts.Functions;

/// <summary>Body of <c>POST</c>/<c>PUT /system/functions</c>, as faas-provider's <c>FunctionDeployment</c>.</summary>
public sealed record FunctionDeployment
{
    [JsonPropertyName("service")]
    public string Service { get; init; } = "";

    [JsonPropertyName("image")]
    public string Image { get; init; } = "";

    [JsonPropertyName("namespace")]
    public string? Namespace { get; init; }

    /// <summary>Becomes the <c>fprocess</c> environment variable of every replica.</summary>
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

    /// <summary>Deprecated in OpenFaaS; accepted and ignored.</summary>
    [JsonPropertyName("registryAuth")]
    public string? RegistryAuth { get; init; }

    /// <summary>Deprecated in OpenFaaS; accepted and ignored.</summary>
    [JsonPropertyName("network")]
    public string? Network { get; init; }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Faas.Kubernetes;

/// <summary>What runs in a pod: its containers, volumes and pod-level security.</summary>
public sealed class PodSpec
{
    public List<Container> Containers { get; set; } = [];

    public List<Volume>? Volumes { get; set; }

    public string? ServiceAccountName { get; set; }

    public bool? AutomountServiceAccountToken { get; set; }

    public string? RestartPolicy { get; set; }

    public long? TerminationGracePeriodSeconds { get; set; }

    public string? NodeName { get; set; }

    public Dictionary<string, string>? NodeSelector { get; set; }

    public PodSecurityContext? SecurityContext { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class PodTemplateSpec
{
    public ObjectMeta? Metadata { get; set; }

    public PodSpec? Spec { get; set; }
}

public sealed class Container
{
    public string Name { get; set; } = "";

    public string? Image { get; set; }

    public string? ImagePullPolicy { get; set; }

    public List<string>? Command { get; set; }

    public List<string>? Args { get; set; }

    public List<EnvVar>? Env { get; set; }

    public List<ContainerPort>? Ports { get; set; }

    public ResourceRequirements? Resources { get; set; }

    public Probe? ReadinessProbe { get; set; }

    public Probe? LivenessProbe { get; set; }

    public List<VolumeMount>? VolumeMounts { get; set; }

    public SecurityContext? SecurityContext { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class EnvVar
{
    public string Name { get; set; } = "";

    public string? Value { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class ContainerPort
{
    public string? Name { get; set; }

    [JsonPropertyName("containerPort")]
    public int Port { get; set; }

    public string? Protocol { get; set; }
}

/// <summary>Requests and limits as quantities ("100m", "128Mi"), keyed by resource name (cpu, memory).</summary>
public sealed class ResourceRequirements
{
    public Dictionary<string, string>? Requests { get; set; }

    public Dictionary<string, string>? Limits { get; set; }
}

public sealed class Probe
{
    public HttpGetAction? HttpGet { get; set; }

    public int? InitialDelaySeconds { get; set; }

    public int? PeriodSeconds { get; set; }

    public int? TimeoutSeconds { get; set; }

    public int? SuccessThreshold { get; set; }

    public int? FailureThreshold { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class HttpGetAction
{
    public string? Path { get; set; }

    public IntOrString Port { get; set; }

    public string? Scheme { get; set; }
}

public sealed class VolumeMount
{
    public string Name { get; set; } = "";

    public string MountPath { get; set; } = "";

    public bool? ReadOnly { get; set; }
}

public sealed class Volume
{
    public string Name { get; set; } = "";

    public SecretVolumeSource? Secret { get; set; }

    public EmptyDirVolumeSource? EmptyDir { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class SecretVolumeSource
{
    public string? SecretName { get; set; }

    public bool? Optional { get; set; }

    public int? DefaultMode { get; set; }

    public List<KeyToPath>? Items { get; set; }
}

public sealed class KeyToPath
{
    public string Key { get; set; } = "";

    public string Path { get; set; } = "";
}

public sealed class EmptyDirVolumeSource
{
    public string? Medium { get; set; }

    public string? SizeLimit { get; set; }
}

/// <summary>Container-level security: read-only root filesystem, non-root user.</summary>
public sealed class SecurityContext
{
    public bool? ReadOnlyRootFilesystem { get; set; }

    public bool? RunAsNonRoot { get; set; }

    public long? RunAsUser { get; set; }

    public long? RunAsGroup { get; set; }

    public bool? AllowPrivilegeEscalation { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class PodSecurityContext
{
    public bool? RunAsNonRoot { get; set; }

    public long? RunAsUser { get; set; }

    public long? RunAsGroup { get; set; }

    public long? FsGroup { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Faas.Kubernetes;

/// <summary>apps/v1 Deployment.</summary>
public sealed class Deployment : KubernetesObject
{
    public DeploymentSpec? Spec { get; set; }

    public DeploymentStatus? Status { get; set; }
}

public sealed class DeploymentSpec
{
    public int? Replicas { get; set; }

    public LabelSelector? Selector { get; set; }

    public PodTemplateSpec Template { get; set; } = new();

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class DeploymentStatus
{
    public long? ObservedGeneration { get; set; }

    public int? Replicas { get; set; }

    public int? UpdatedReplicas { get; set; }

    public int? ReadyReplicas { get; set; }

    public int? AvailableReplicas { get; set; }

    public int? UnavailableReplicas { get; set; }
}

/// <summary>autoscaling/v1 Scale: the <c>/scale</c> subresource of a Deployment.</summary>
public sealed class Scale : KubernetesObject
{
    public ScaleSpec? Spec { get; set; }

    public ScaleStatus? Status { get; set; }
}

public sealed class ScaleSpec
{
    /// <summary>Desired replicas; the server leaves 0 out of its answer, so absent reads as 0.</summary>
    public int Replicas { get; set; }
}

public sealed class ScaleStatus
{
    public int Replicas { get; set; }

    /// <summary>The pods' label selector in query form ("a=b,c=d").</summary>
    public string? Selector { get; set; }
}

/// <summary>core/v1 Pod.</summary>
public sealed class Pod : KubernetesObject
{
    public PodSpec? Spec { get; set; }

    public PodStatus? Status { get; set; }
}

public sealed class PodStatus
{
    /// <summary>Pending, Running, Succeeded, Failed or Unknown.</summary>
    public string? Phase { get; set; }

    public string? PodIP { get; set; }

    public List<PodIP>? PodIPs { get; set; }

    public string? HostIP { get; set; }

    public DateTimeOffset? StartTime { get; set; }

    public List<PodCondition>? Conditions { get; set; }

    public List<ContainerStatus>? ContainerStatuses { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }
}

public sealed class PodIP
{
    public string? Ip { get; set; }
}

public sealed class PodCondition
{
    /// <summary>PodScheduled, Initialized, ContainersReady, Ready.</summary>
    public string? Type { get; set; }

    /// <summary>"True", "False" or "Unknown".</summary>
    public string? Status { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }
}

public sealed class ContainerStatus
{
    public string? Name { get; set; }

    public bool Ready { get; set; }

    public int RestartCount { get; set; }

    public string? Image { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

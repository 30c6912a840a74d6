using System.Text.Json;
using System.Text.Json.Serialization;

namespace Faas.Kubernetes;

/// <summary>core/v1 Namespace (cluster-scoped).</summary>
public sealed class Namespace : KubernetesObject
{
    public NamespaceStatus? Status { get; set; }
}

public sealed class NamespaceStatus
{
    /// <summary>Active or Terminating.</summary>
    public string? Phase { get; set; }
}

/// <summary>core/v1 Service.</summary>
public sealed class Service : KubernetesObject
{
    public ServiceSpec? Spec { get; set; }
}

public sealed class ServiceSpec
{
    /// <summary>ClusterIP (default), NodePort, LoadBalancer or ExternalName.</summary>
    public string? Type { get; set; }

    public Dictionary<string, string>? Selector { get; set; }

    public List<ServicePort>? Ports { get; set; }

    public string? ClusterIP { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class ServicePort
{
    public string? Name { get; set; }

    public int Port { get; set; }

    public IntOrString? TargetPort { get; set; }

    public string? Protocol { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>core/v1 Secret. <see cref="Data"/> values are raw bytes (base64 on the wire).</summary>
public sealed class Secret : KubernetesObject
{
    /// <summary>Opaque by default.</summary>
    public string? Type { get; set; }

    public Dictionary<string, byte[]>? Data { get; set; }

    /// <summary>Write-only convenience: merged into <see cref="Data"/> by the server, never returned.</summary>
    public Dictionary<string, string>? StringData { get; set; }

    public bool? Immutable { get; set; }
}

/// <summary>core/v1 Endpoints: the ready (and not ready) addresses behind a Service.</summary>
public sealed class Endpoints : KubernetesObject
{
    public List<EndpointSubset>? Subsets { get; set; }
}

public sealed class EndpointSubset
{
    public List<EndpointAddress>? Addresses { get; set; }

    public List<EndpointAddress>? NotReadyAddresses { get; set; }

    public List<EndpointPort>? Ports { get; set; }
}

public sealed class EndpointAddress
{
    public string Ip { get; set; } = "";

    public string? Hostname { get; set; }

    public string? NodeName { get; set; }

    public ObjectReference? TargetRef { get; set; }
}

public sealed class EndpointPort
{
    public string? Name { get; set; }

    public int Port { get; set; }

    public string? Protocol { get; set; }
}

/// <summary>core/v1 Event: something that happened to an object (scheduling, pulls, failures).</summary>
public sealed class Event : KubernetesObject
{
    public ObjectReference InvolvedObject { get; set; } = new();

    public string? Reason { get; set; }

    public string? Message { get; set; }

    /// <summary>Normal or Warning.</summary>
    public string? Type { get; set; }

    public int? Count { get; set; }

    public DateTimeOffset? FirstTimestamp { get; set; }

    public DateTimeOffset? LastTimestamp { get; set; }

    public EventSource? Source { get; set; }
}

public sealed class EventSource
{
    public string? Component { get; set; }

    public string? Host { get; set; }
}

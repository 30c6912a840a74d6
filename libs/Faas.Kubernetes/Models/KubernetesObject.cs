using System.Text.Json;
using System.Text.Json.Serialization;

namespace Faas.Kubernetes;

/// <summary>What every top-level API object has: its type and its metadata.</summary>
public interface IKubernetesObject
{
    string? ApiVersion { get; set; }

    string? Kind { get; set; }

    ObjectMeta Metadata { get; set; }
}

/// <summary>
/// Base of the typed objects. Fields this client does not model are kept in <see cref="ExtensionData"/>
/// (and in each nested type's own), so a read-modify-replace round trip never drops what the server sent.
/// </summary>
public abstract class KubernetesObject : IKubernetesObject
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ObjectMeta Metadata { get; set; } = new();

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>metadata: identity, labels, annotations and the bookkeeping the server maintains.</summary>
public sealed class ObjectMeta
{
    public string? Name { get; set; }

    public string? GenerateName { get; set; }

    public string? Namespace { get; set; }

    public string? Uid { get; set; }

    /// <summary>Opaque version for optimistic concurrency (replace) and for resuming watches.</summary>
    public string? ResourceVersion { get; set; }

    public long? Generation { get; set; }

    public DateTimeOffset? CreationTimestamp { get; set; }

    public DateTimeOffset? DeletionTimestamp { get; set; }

    public Dictionary<string, string>? Labels { get; set; }

    public Dictionary<string, string>? Annotations { get; set; }

    public List<OwnerReference>? OwnerReferences { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class OwnerReference
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public string? Name { get; set; }

    public string? Uid { get; set; }

    public bool? Controller { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>A reference to another object (an Event's subject, an endpoint's pod).</summary>
public sealed class ObjectReference
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public string? Name { get; set; }

    public string? Namespace { get; set; }

    public string? Uid { get; set; }

    public string? ResourceVersion { get; set; }

    public string? FieldPath { get; set; }
}

/// <summary>A list answer: the items and the list's resourceVersion (where a watch starts).</summary>
public sealed class KubernetesList<T>
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ListMeta Metadata { get; set; } = new();

    public List<T> Items { get; set; } = [];
}

public sealed class ListMeta
{
    public string? ResourceVersion { get; set; }

    /// <summary>Set when the list was cut at <see cref="ListOptions.Limit"/>: pass it back to get the next page.</summary>
    public string? Continue { get; set; }

    public long? RemainingItemCount { get; set; }
}

/// <summary>The server's answer to a failed call (and to some deletes): kind Status.</summary>
public sealed class Status
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    /// <summary>"Success" or "Failure".</summary>
    [JsonPropertyName("status")]
    public string? Outcome { get; set; }

    public string? Message { get; set; }

    /// <summary>Machine-readable cause: NotFound, AlreadyExists, Conflict, Invalid, Forbidden, Expired, ...</summary>
    public string? Reason { get; set; }

    public int? Code { get; set; }

    public StatusDetails? Details { get; set; }
}

public sealed class StatusDetails
{
    public string? Name { get; set; }

    public string? Group { get; set; }

    public string? Kind { get; set; }

    public List<StatusCause>? Causes { get; set; }
}

public sealed class StatusCause
{
    public string? Reason { get; set; }

    public string? Message { get; set; }

    public string? Field { get; set; }
}

/// <summary>A label selector as objects carry it (Deployment.spec.selector).</summary>
public sealed class LabelSelector
{
    public Dictionary<string, string>? MatchLabels { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>How a delete proceeds: propagation (Foreground, Background, Orphan) and grace period.</summary>
public sealed class DeleteOptions
{
    public string? ApiVersion { get; set; } = "v1";

    public string? Kind { get; set; } = "DeleteOptions";

    public string? PropagationPolicy { get; set; }

    public long? GracePeriodSeconds { get; set; }

    /// <summary>Delete only if the object still is the one read (uid) or unchanged since (resourceVersion); else 409.</summary>
    public Preconditions? Preconditions { get; set; }

    public static DeleteOptions Foreground => new() { PropagationPolicy = "Foreground" };

    public static DeleteOptions Background => new() { PropagationPolicy = "Background" };
}

public sealed class Preconditions
{
    public string? Uid { get; set; }

    public string? ResourceVersion { get; set; }
}

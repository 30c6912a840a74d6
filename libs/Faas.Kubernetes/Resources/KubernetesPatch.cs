using System.Text.Json.Nodes;

namespace Faas.Kubernetes;

public enum PatchType
{
    /// <summary>RFC 7386 JSON merge patch: objects merge, lists are replaced whole, null deletes.</summary>
    Merge,

    /// <summary>Kubernetes strategic merge: like merge, but lists with a merge key (containers by name, ...) merge item by item.</summary>
    StrategicMerge,

    /// <summary>RFC 6902 JSON patch: a list of operations.</summary>
    Json,
}

/// <summary>A patch body and how the server should apply it.</summary>
public sealed record KubernetesPatch(PatchType Type, string Body)
{
    public static KubernetesPatch Merge(JsonNode body) => new(PatchType.Merge, body.ToJsonString());

    public static KubernetesPatch StrategicMerge(JsonNode body) => new(PatchType.StrategicMerge, body.ToJsonString());

    public static KubernetesPatch Json(JsonArray operations) => new(PatchType.Json, operations.ToJsonString());

    internal string ContentType => Type switch
    {
        PatchType.Merge => "application/merge-patch+json",
        PatchType.StrategicMerge => "application/strategic-merge-patch+json",
        PatchType.Json => "application/json-patch+json",
        _ => throw new ArgumentOutOfRangeException(nameof(Type), Type, "unknown patch type"),
    };
}

using System.Text.Json.Serialization.Metadata;

namespace Faas.Kubernetes;

/// <summary>Where a kind lives in the API (group/version, plural, scope) and how to (de)serialize it.</summary>
internal sealed record ResourceDefinition<T>(
    string ApiVersion,
    string Kind,
    string Plural,
    bool Namespaced,
    JsonTypeInfo<T> TypeInfo,
    JsonTypeInfo<KubernetesList<T>> ListTypeInfo)
    where T : class, IKubernetesObject
{
    /// <summary>"/api/v1" for the core group, "/apis/apps/v1" for the others.</summary>
    public string Prefix { get; } = ApiVersion.Contains('/') ? "/apis/" + ApiVersion : "/api/" + ApiVersion;

    /// <summary>The collection path; a null namespace of a namespaced kind means all namespaces.</summary>
    public string CollectionPath(string? @namespace) =>
        Namespaced && @namespace is not null
            ? $"{Prefix}/namespaces/{Uri.EscapeDataString(@namespace)}/{Plural}"
            : $"{Prefix}/{Plural}";

    public string ItemPath(string? @namespace, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (Namespaced)
        {
            ArgumentException.ThrowIfNullOrEmpty(@namespace);
        }

        return $"{CollectionPath(@namespace)}/{Uri.EscapeDataString(name)}";
    }

    public string Describe(string? @namespace, string? name) =>
        @namespace is null ? $"{Kind} {name}" : $"{Kind} {@namespace}/{name}";
}

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Faas.Kubernetes;

/// <summary>
/// The verbs shared by every kind: get, list, create, replace, patch, delete, watch. The namespaced and
/// cluster-scoped clients expose them with the right arguments.
/// </summary>
public abstract class ResourceClient<T>
    where T : class, IKubernetesObject
{
    private protected ResourceClient(KubernetesTransport transport, ResourceDefinition<T> definition, ILogger logger)
    {
        Transport = transport;
        Definition = definition;
        Logger = logger;
    }

    private protected KubernetesTransport Transport { get; }

    private protected ResourceDefinition<T> Definition { get; }

    private protected ILogger Logger { get; }

    private protected Task<T> GetCoreAsync(string? ns, string name, CancellationToken cancellationToken) =>
        Transport.SendAsync(HttpMethod.Get, Definition.ItemPath(ns, name), null, Definition.TypeInfo,
            $"get {Definition.Describe(ns, name)}", cancellationToken);

    private protected Task<KubernetesList<T>> ListCoreAsync(string? ns, ListOptions? options, CancellationToken cancellationToken) =>
        Transport.SendAsync(HttpMethod.Get, Definition.CollectionPath(ns) + (options?.ToQuery() ?? ""), null, Definition.ListTypeInfo,
            $"list {Definition.Plural}{(ns is null ? "" : " in " + ns)}", cancellationToken);

    private protected Task<T> CreateCoreAsync(string? ns, T item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        Stamp(item, ns);
        return Transport.SendAsync(HttpMethod.Post, Definition.CollectionPath(ns), Json(item), Definition.TypeInfo,
            $"create {Definition.Describe(ns, item.Metadata.Name ?? item.Metadata.GenerateName)}", cancellationToken);
    }

    private protected Task<T> ReplaceCoreAsync(T item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var ns = Definition.Namespaced ? item.Metadata.Namespace : null;
        var name = item.Metadata.Name ?? throw new ArgumentException("metadata.name is required to replace an object", nameof(item));
        Stamp(item, ns);
        return Transport.SendAsync(HttpMethod.Put, Definition.ItemPath(ns, name), Json(item), Definition.TypeInfo,
            $"replace {Definition.Describe(ns, name)}", cancellationToken);
    }

    private protected Task<T> PatchCoreAsync(string? ns, string name, KubernetesPatch patch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var content = new StringContent(patch.Body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(patch.ContentType);
        return Transport.SendAsync(HttpMethod.Patch, Definition.ItemPath(ns, name), content, Definition.TypeInfo,
            $"patch {Definition.Describe(ns, name)}", cancellationToken);
    }

    private protected Task<T> PatchStatusCoreAsync(string? ns, string name, KubernetesPatch patch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var content = new StringContent(patch.Body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(patch.ContentType);
        return Transport.SendAsync(HttpMethod.Patch, Definition.ItemPath(ns, name) + "/status", content, Definition.TypeInfo,
            $"patch status of {Definition.Describe(ns, name)}", cancellationToken);
    }

    private protected Task DeleteCoreAsync(string? ns, string name, DeleteOptions? options, CancellationToken cancellationToken)
    {
        var body = options is null ? null : JsonContent(JsonSerializer.SerializeToUtf8Bytes(options, KubernetesJsonContext.Default.DeleteOptions));
        return Transport.SendAsync(HttpMethod.Delete, Definition.ItemPath(ns, name), body,
            $"delete {Definition.Describe(ns, name)}", cancellationToken);
    }

    private protected IAsyncEnumerable<WatchEvent<T>> WatchCoreAsync(string? ns, WatchOptions? options, CancellationToken cancellationToken) =>
        new Watcher<T>(this, Transport, Definition, ns, options ?? new WatchOptions(), Logger).RunAsync(cancellationToken);

    internal Task<KubernetesList<T>> ListForWatchAsync(string? ns, ListOptions options, CancellationToken cancellationToken) =>
        ListCoreAsync(ns, options, cancellationToken);

    private protected HttpContent Json(T item) => JsonContent(JsonSerializer.SerializeToUtf8Bytes(item, Definition.TypeInfo));

    private protected static HttpContent JsonContent(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private void Stamp(T item, string? ns)
    {
        item.ApiVersion ??= Definition.ApiVersion;
        item.Kind ??= Definition.Kind;
        if (Definition.Namespaced && ns is not null)
        {
            item.Metadata.Namespace ??= ns;
        }
    }
}

/// <summary>A namespaced kind (Deployment, Service, Pod, Secret, Endpoints, Event).</summary>
public class NamespacedResourceClient<T> : ResourceClient<T>
    where T : class, IKubernetesObject
{
    internal NamespacedResourceClient(KubernetesTransport transport, ResourceDefinition<T> definition, ILogger logger)
        : base(transport, definition, logger)
    {
    }

    /// <summary>Reads one object; <see cref="KubernetesNotFoundException"/> when it does not exist.</summary>
    public Task<T> GetAsync(string @namespace, string name, CancellationToken cancellationToken = default) =>
        GetCoreAsync(@namespace, name, cancellationToken);

    /// <summary>Lists objects in <paramref name="namespace"/>, or in every namespace when it is null.</summary>
    public Task<KubernetesList<T>> ListAsync(string? @namespace, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        ListCoreAsync(@namespace, options, cancellationToken);

    /// <summary>Creates the object in <paramref name="namespace"/>; <see cref="KubernetesConflictException"/> when the name is taken.</summary>
    public Task<T> CreateAsync(string @namespace, T item, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        return CreateCoreAsync(@namespace, item, cancellationToken);
    }

    /// <summary>
    /// Replaces the object named by its metadata. With <c>metadata.resourceVersion</c> set, a concurrent change
    /// makes this fail with <see cref="KubernetesConflictException"/> instead of overwriting it.
    /// </summary>
    public Task<T> ReplaceAsync(T item, CancellationToken cancellationToken = default) => ReplaceCoreAsync(item, cancellationToken);

    public Task<T> PatchAsync(string @namespace, string name, KubernetesPatch patch, CancellationToken cancellationToken = default) =>
        PatchCoreAsync(@namespace, name, patch, cancellationToken);

    /// <summary>
    /// Patches the <c>/status</c> subresource (what controllers and the kubelet write). Needs the
    /// <c>&lt;plural&gt;/status</c> permission; tests use it to stand in for a kubelet (pod IPs, readiness).
    /// </summary>
    public Task<T> PatchStatusAsync(string @namespace, string name, KubernetesPatch patch, CancellationToken cancellationToken = default) =>
        PatchStatusCoreAsync(@namespace, name, patch, cancellationToken);

    /// <summary>Deletes the object; <see cref="KubernetesNotFoundException"/> when it does not exist.</summary>
    public Task DeleteAsync(string @namespace, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default) =>
        DeleteCoreAsync(@namespace, name, options, cancellationToken);

    /// <summary>
    /// Changes in <paramref name="namespace"/> (every namespace when null), resumed across dropped connections;
    /// see <see cref="WatchOptions"/>.
    /// </summary>
    public IAsyncEnumerable<WatchEvent<T>> WatchAsync(string? @namespace, WatchOptions? options = null, CancellationToken cancellationToken = default) =>
        WatchCoreAsync(@namespace, options, cancellationToken);
}

/// <summary>A cluster-scoped kind (Namespace).</summary>
public sealed class ClusterResourceClient<T> : ResourceClient<T>
    where T : class, IKubernetesObject
{
    internal ClusterResourceClient(KubernetesTransport transport, ResourceDefinition<T> definition, ILogger logger)
        : base(transport, definition, logger)
    {
    }

    public Task<T> GetAsync(string name, CancellationToken cancellationToken = default) => GetCoreAsync(null, name, cancellationToken);

    public Task<KubernetesList<T>> ListAsync(ListOptions? options = null, CancellationToken cancellationToken = default) =>
        ListCoreAsync(null, options, cancellationToken);

    public Task<T> CreateAsync(T item, CancellationToken cancellationToken = default) => CreateCoreAsync(null, item, cancellationToken);

    public Task<T> ReplaceAsync(T item, CancellationToken cancellationToken = default) => ReplaceCoreAsync(item, cancellationToken);

    public Task<T> PatchAsync(string name, KubernetesPatch patch, CancellationToken cancellationToken = default) =>
        PatchCoreAsync(null, name, patch, cancellationToken);

    public Task DeleteAsync(string name, DeleteOptions? options = null, CancellationToken cancellationToken = default) =>
        DeleteCoreAsync(null, name, options, cancellationToken);

    public IAsyncEnumerable<WatchEvent<T>> WatchAsync(WatchOptions? options = null, CancellationToken cancellationToken = default) =>
        WatchCoreAsync(null, options, cancellationToken);
}

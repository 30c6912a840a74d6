using Faas.Contracts.System;
using Faas.Controller.Namespaces;

namespace Faas.Controller.Backends.Kubernetes;

/// <summary>
/// The Kubernetes backend's opted-in namespaces: <c>extra_function_namespaces</c>, fixed at start-up
/// (the chart gives the controller a Role in exactly those). Creating, changing or deleting namespaces
/// through the API would need cluster-wide rights the chart does not grant, so those are refused.
/// </summary>
public sealed class ConfiguredNamespaceStore(KubernetesBackendOptions options) : INamespaceStore
{
    private readonly IReadOnlyList<FunctionNamespace> _namespaces =
        options.ExtraNamespaces.Order(StringComparer.Ordinal).Select(n => new FunctionNamespace { Name = n }).ToList();

    public IReadOnlyList<FunctionNamespace> List() => _namespaces;

    public FunctionNamespace? Get(string name) => _namespaces.FirstOrDefault(n => n.Name == name);

    // The namespace API answers false as 409 (create) or 404 (update, delete): the set is the configuration's.
    public Task<bool> CreateAsync(FunctionNamespace ns, CancellationToken cancellationToken = default) => Task.FromResult(false);

    public Task<bool> UpdateAsync(FunctionNamespace ns, CancellationToken cancellationToken = default) => Task.FromResult(false);

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default) => Task.FromResult(false);
}

using Faas.Contracts.System;

namespace Faas.Controller.Namespaces;

/// <summary>
/// The function namespaces created through <c>/system/namespace/{name}</c> (opted in). The default
/// <c>function_namespace</c> is not stored: it always exists. A Kubernetes implementation maps
/// these to Namespaces annotated <c>openfaas=1</c>. Reads are from memory (they sit on every request).
/// </summary>
public interface INamespaceStore
{
    IReadOnlyList<FunctionNamespace> List();

    FunctionNamespace? Get(string name);

    /// <summary>
    /// Why <paramref name="name"/> is not a function namespace, when the store knows more than "it does not
    /// exist" (e.g. a Kubernetes Namespace without the opt-in annotation); null to use the generic answer.
    /// May throw <c>BackendException</c> (e.g. 503 while the orchestrator cannot be read).
    /// </summary>
    string? Explain(string name) => null;

    /// <summary>False when it exists already.</summary>
    Task<bool> CreateAsync(FunctionNamespace ns, CancellationToken cancellationToken = default);

    /// <summary>False when there is no such namespace.</summary>
    Task<bool> UpdateAsync(FunctionNamespace ns, CancellationToken cancellationToken = default);

    /// <summary>False when there is no such namespace.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default);
}

namespace Faas.Controller.Secrets;

/// <summary>
/// Where secret values live. The file store serves the process and Docker backends; a Kubernetes
/// store (Secrets labelled as managed by the platform) slots in behind the same interface.
/// Names and namespaces given here are already validated and allowed.
/// </summary>
public interface ISecretStore
{
    /// <summary>The names of the namespace's secrets, sorted; never values.</summary>
    Task<IReadOnlyList<string>> ListAsync(string @namespace, CancellationToken cancellationToken = default);

    /// <summary>The value, or null when there is no such secret.</summary>
    Task<byte[]?> GetAsync(string @namespace, string name, CancellationToken cancellationToken = default);

    /// <summary>False when the secret exists already (nothing written).</summary>
    Task<bool> CreateAsync(string @namespace, string name, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default);

    /// <summary>False when there is no such secret (nothing written).</summary>
    Task<bool> UpdateAsync(string @namespace, string name, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default);

    /// <summary>False when there is no such secret.</summary>
    Task<bool> DeleteAsync(string @namespace, string name, CancellationToken cancellationToken = default);
}

/// <summary>
/// Implemented by backends that hand secrets to replicas as copies (process: per-replica folders;
/// Docker: per-function bind-mounted folders), so a changed value reaches the running replicas.
/// Kubernetes needs none: the kubelet refreshes projected Secret volumes itself.
/// </summary>
public interface ISecretDelivery
{
    /// <summary>Rewrites the copies of <paramref name="name"/> held by the namespace's functions that use it.</summary>
    Task SecretUpdatedAsync(string @namespace, string name, CancellationToken cancellationToken = default);
}

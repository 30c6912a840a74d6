using Faas.Controller.Secrets;
using Faas.Kubernetes;

namespace Faas.Controller.Backends.Kubernetes;

/// <summary>
/// Secrets as Kubernetes Secrets in the function namespace, labelled as managed by the platform
/// (Secrets without the label are neither listed nor changed). As OpenFaaS, the one data key is the
/// secret's name; pods mount them through a projected volume at <c>/var/openfaas/secrets</c>.
/// </summary>
public sealed class KubernetesSecretStore(KubernetesClient client) : ISecretStore
{
    private static readonly string ManagedSelector = $"{FunctionObjects.ManagedByLabel}={FunctionObjects.ManagedByValue}";

    public async Task<IReadOnlyList<string>> ListAsync(string @namespace, CancellationToken cancellationToken = default)
    {
        var list = await KubernetesErrors.ReadAsync(() => client.Secrets.ListAsync(@namespace, new ListOptions { LabelSelector = ManagedSelector }, cancellationToken));
        return list.Items.Select(s => s.Metadata.Name).OfType<string>().Order(StringComparer.Ordinal).ToList();
    }

    public async Task<byte[]?> GetAsync(string @namespace, string name, CancellationToken cancellationToken = default)
    {
        var secret = await FindAsync(@namespace, name, cancellationToken);
        return secret?.Data?.GetValueOrDefault(name) ?? (secret is null ? null : []);
    }

    public async Task<bool> CreateAsync(string @namespace, string name, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        var secret = new Secret
        {
            Metadata = new ObjectMeta { Name = name, Labels = new Dictionary<string, string> { [FunctionObjects.ManagedByLabel] = FunctionObjects.ManagedByValue } },
            Type = "Opaque",
            Data = new Dictionary<string, byte[]> { [name] = value.ToArray() },
        };
        try
        {
            await KubernetesErrors.ReadAsync(() => client.Secrets.CreateAsync(@namespace, secret, cancellationToken));
            return true;
        }
        catch (BackendException e) when (e.Result.Status == BackendStatus.Conflict)
        {
            return false;
        }
    }

    public async Task<bool> UpdateAsync(string @namespace, string name, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        if (await FindAsync(@namespace, name, cancellationToken) is not { } secret)
        {
            return false;
        }

        secret.Data = new Dictionary<string, byte[]> { [name] = value.ToArray() };
        await KubernetesErrors.ReadAsync(() => client.Secrets.ReplaceAsync(secret, cancellationToken));
        return true;
    }

    public async Task<bool> DeleteAsync(string @namespace, string name, CancellationToken cancellationToken = default)
    {
        if (await FindAsync(@namespace, name, cancellationToken) is null)
        {
            return false;
        }

        try
        {
            await KubernetesErrors.ReadAsync(async () =>
            {
                await client.Secrets.DeleteAsync(@namespace, name, null, cancellationToken);
                return true;
            });
            return true;
        }
        catch (BackendException e) when (e.Result.Status == BackendStatus.NotFound)
        {
            return false;
        }
    }

    /// <summary>The platform's Secret of that name, or null (absent, or not the platform's).</summary>
    private async Task<Secret?> FindAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        try
        {
            var secret = await KubernetesErrors.ReadAsync(() => client.Secrets.GetAsync(@namespace, name, cancellationToken));
            return secret.Metadata.Labels?.GetValueOrDefault(FunctionObjects.ManagedByLabel) == FunctionObjects.ManagedByValue ? secret : null;
        }
        catch (BackendException e) when (e.Result.Status == BackendStatus.NotFound)
        {
            return null;
        }
    }
}

using Faas.Controller.Secrets;

namespace Faas.Controller.Backends.Docker;

/// <summary>
/// Secrets for containers: each function that lists secrets gets a host folder
/// <c>&lt;state_dir&gt;/secrets/&lt;namespace&gt;/&lt;function&gt;/</c> bind-mounted read-only at
/// <c>/var/openfaas/secrets</c>. The parents are 0700 (no other host user can reach the values);
/// the folder itself is 0755 with 0444 files because replicas run as uid 12000, which must read
/// them inside the container. Updates are live: the file is replaced by a rename inside the
/// mounted folder, which running containers see at once.
/// </summary>
public sealed partial class DockerBackend : ISecretDelivery
{
    private const UnixFileMode MountedFolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode MountedFileMode = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    internal ISecretStore? Secrets { get; }

    public async Task SecretUpdatedAsync(string @namespace, string name, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            List<DockerFunction> users;
            lock (_functions)
            {
                users = _functions.Values.Where(f => f.Namespace == @namespace && f.Deployment.Secrets?.Contains(name, StringComparer.Ordinal) == true).ToList();
            }

            if (users.Count == 0 || Secrets is null || await Secrets.GetAsync(@namespace, name, cancellationToken) is not { } value)
            {
                return;
            }

            foreach (var function in users)
            {
                var folder = SecretsFolder(function.Namespace, function.Name);
                if (Directory.Exists(folder))
                {
                    await SecretFiles.WriteAtomicAsync(Path.Combine(folder, name), value, MountedFileMode, cancellationToken);
                }
            }

            DockerBackendLog.SecretRefreshed(_logger, name, @namespace, users.Count);
        }
        finally
        {
            _gate.Release();
        }
    }

    internal string SecretsFolder(string @namespace, string function) => Path.Combine(ControllerOptions.StateDir, "secrets", @namespace, function);

    /// <summary>The folder to mount for <paramref name="function"/>'s replicas, filled first if missing (after a restart on a fresh state_dir); null when it lists none.</summary>
    private async Task<string?> SecretsMountAsync(DockerFunction function, CancellationToken cancellationToken)
    {
        if (function.Deployment.Secrets is not { Count: > 0 })
        {
            return null;
        }

        var folder = SecretsFolder(function.Namespace, function.Name);
        if (!Directory.Exists(folder))
        {
            await SyncSecretsAsync(function, cancellationToken);
        }

        return folder;
    }

    /// <summary>Makes the function's folder hold exactly the secrets its deployment lists (deploy, update).</summary>
    private async Task SyncSecretsAsync(DockerFunction function, CancellationToken cancellationToken)
    {
        var folder = SecretsFolder(function.Namespace, function.Name);
        var wanted = function.Deployment.Secrets?.Distinct(StringComparer.Ordinal).ToList() ?? [];
        if (wanted.Count == 0)
        {
            RemoveSecretsFolder(function.Namespace, function.Name);
            return;
        }

        SecretFiles.EnsureDirectory(Path.Combine(ControllerOptions.StateDir, "secrets"));
        SecretFiles.EnsureDirectory(Path.Combine(ControllerOptions.StateDir, "secrets", function.Namespace));
        SecretFiles.EnsureDirectory(folder, MountedFolderMode);
        foreach (var name in wanted)
        {
            if (Secrets is not null && await Secrets.GetAsync(function.Namespace, name, cancellationToken) is { } value)
            {
                await SecretFiles.WriteAtomicAsync(Path.Combine(folder, name), value, MountedFileMode, cancellationToken);
            }
        }

        foreach (var file in Directory.EnumerateFiles(folder))
        {
            if (!wanted.Contains(Path.GetFileName(file), StringComparer.Ordinal))
            {
                SecretFiles.TryDelete(file);
            }
        }
    }

    private void RemoveSecretsFolder(string @namespace, string function)
    {
        var folder = SecretsFolder(@namespace, function);
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DockerBackendLog.CleanupFailed(_logger, folder, e);
        }
    }
}

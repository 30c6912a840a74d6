namespace Faas.Controller.Secrets;

/// <summary>
/// Secrets as files <c>&lt;state_dir&gt;/secret-values/&lt;namespace&gt;/&lt;name&gt;</c>: folders 0700,
/// files 0600 (only the platform user reads them), each written atomically. Mutations are
/// serialised so create/update/delete of one name cannot interleave.
/// </summary>
public sealed class FileSecretStore : ISecretStore
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public FileSecretStore(string root)
    {
        Root = root;
    }

    public string Root { get; }

    public static string RootFor(string stateDir) => Path.Combine(stateDir, "secret-values");

    public Task<IReadOnlyList<string>> ListAsync(string @namespace, CancellationToken cancellationToken = default)
    {
        var folder = Path.Combine(Root, @namespace);
        IReadOnlyList<string> names = Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder).Select(Path.GetFileName).OfType<string>().Where(SecretFiles.IsSecretFile).Order(StringComparer.Ordinal).ToList()
            : [];
        return Task.FromResult(names);
    }

    public async Task<byte[]?> GetAsync(string @namespace, string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await File.ReadAllBytesAsync(PathOf(@namespace, name), cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public Task<bool> CreateAsync(string @namespace, string name, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default) =>
        WriteAsync(@namespace, name, value, mustExist: false, cancellationToken);

    public Task<bool> UpdateAsync(string @namespace, string name, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default) =>
        WriteAsync(@namespace, name, value, mustExist: true, cancellationToken);

    public async Task<bool> DeleteAsync(string @namespace, string name, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var path = PathOf(@namespace, name);
            if (!File.Exists(path))
            {
                return false;
            }

            File.Delete(path);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<bool> WriteAsync(string @namespace, string name, ReadOnlyMemory<byte> value, bool mustExist, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var path = PathOf(@namespace, name);
            if (File.Exists(path) != mustExist)
            {
                return false;
            }

            SecretFiles.EnsureDirectory(Root);
            SecretFiles.EnsureDirectory(Path.GetDirectoryName(path)!);
            await SecretFiles.WriteAtomicAsync(path, value, SecretFiles.PrivateFile, cancellationToken);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private string PathOf(string @namespace, string name) => Path.Combine(Root, @namespace, name);
}

namespace Faas.Function;

/// <summary>
/// The function's secrets, read from the secrets folder (<c>/var/openfaas/secrets</c> in containers)
/// on every call, so an updated secret is seen without a restart.
/// </summary>
public interface ISecretStore
{
    /// <summary>The secret as UTF-8 text, or null when the function has no such secret.</summary>
    string? Get(string name);

    /// <summary>The secret's raw bytes, or null when the function has no such secret.</summary>
    byte[]? GetBytes(string name);
}

/// <summary>Reads secrets from files named after the secret in one folder.</summary>
public sealed class FileSecretStore : ISecretStore
{
    public const string DefaultPath = "/var/openfaas/secrets";

    private readonly string _folder;

    public FileSecretStore(string folder) => _folder = folder;

    public string Folder => _folder;

    public string? Get(string name)
    {
        var bytes = GetBytes(name);
        return bytes is null ? null : System.Text.Encoding.UTF8.GetString(bytes);
    }

    public byte[]? GetBytes(string name)
    {
        // Names are DNS-1123 labels; refusing anything else keeps a handler from reading outside the folder.
        if (string.IsNullOrEmpty(name) || name.Contains('/') || name.Contains('\\') || name.StartsWith('.'))
        {
            return null;
        }

        var path = Path.Combine(_folder, name);
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }
}

using System.Security.Cryptography;
using System.Text;

namespace Faas.Controller.Auth;

/// <summary>
/// The credentials from <c>&lt;secret_mount_path&gt;/basic-auth-user</c> and <c>basic-auth-password</c>
/// (trimmed), as OpenFaaS reads them.
/// </summary>
public sealed class BasicAuthCredentials
{
    public const string UserFile = "basic-auth-user";
    public const string PasswordFile = "basic-auth-password";

    private readonly byte[] _userHash;
    private readonly byte[] _passwordHash;

    public BasicAuthCredentials(string user, string password)
    {
        _userHash = SHA256.HashData(Encoding.UTF8.GetBytes(user));
        _passwordHash = SHA256.HashData(Encoding.UTF8.GetBytes(password));
    }

    /// <summary>Reads both files; throws with a message naming the missing file and the key to fix.</summary>
    public static BasicAuthCredentials Read(string secretMountPath)
    {
        var errors = new List<string>();
        var user = ReadFile(secretMountPath, UserFile, errors);
        var password = ReadFile(secretMountPath, PasswordFile, errors);
        if (errors.Count > 0)
        {
            throw new Configuration.ControllerOptionsException(errors);
        }

        return new BasicAuthCredentials(user!, password!);
    }

    /// <summary>
    /// Compares an <c>Authorization</c> header value in constant time. Both sides are hashed first so
    /// that the comparison does not leak the length of the secret either.
    /// </summary>
    public bool Matches(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':');
        if (colon < 0)
        {
            return false;
        }

        var userOk = CryptographicOperations.FixedTimeEquals(_userHash, SHA256.HashData(Encoding.UTF8.GetBytes(decoded[..colon])));
        var passwordOk = CryptographicOperations.FixedTimeEquals(_passwordHash, SHA256.HashData(Encoding.UTF8.GetBytes(decoded[(colon + 1)..])));
        return userOk & passwordOk;
    }

    private static string? ReadFile(string folder, string name, List<string> errors)
    {
        var path = Path.Combine(folder, name);
        if (!File.Exists(path))
        {
            errors.Add($"secret_mount_path '{folder}' has no {name} file: basic_auth=true needs {UserFile} and {PasswordFile} there");
            return null;
        }

        var value = File.ReadAllText(path).Trim();
        if (value.Length == 0)
        {
            errors.Add($"secret_mount_path '{folder}': {name} is empty");
        }

        return value;
    }
}

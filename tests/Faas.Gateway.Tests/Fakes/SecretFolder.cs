namespace Faas.Gateway.Tests.Fakes;

/// <summary>A temporary secret mount with <c>basic-auth-user</c> and <c>basic-auth-password</c>.</summary>
public sealed class SecretFolder : IDisposable
{
    public SecretFolder(string user, string password)
    {
        User = user;
        Password = password;
        Path = Directory.CreateTempSubdirectory("faas-gw-secrets-").FullName;
        // Trailing whitespace, as secrets written by `echo` have; the gateway trims it.
        File.WriteAllText(System.IO.Path.Combine(Path, "basic-auth-user"), user + "\n");
        File.WriteAllText(System.IO.Path.Combine(Path, "basic-auth-password"), password + " \n");
    }

    public string User { get; }

    public string Password { get; }

    public string Path { get; }

    public string AuthorizationValue => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));

    public Dictionary<string, string?> Settings => new()
    {
        ["basic_auth"] = "true",
        ["secret_mount_path"] = Path,
    };

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Faas.Cli.Config;

/// <summary>
/// faas-cli's credential store, same file and format as OpenFaaS (<c>~/.openfaas/config.yml</c>):
/// <code>
/// auths:
/// - gateway: http://127.0.0.1:8080
///   auth: basic
///   token: YWRtaW46c2VjcmV0
/// </code>
/// The folder is <c>OPENFAAS_CONFIG</c>, else <c>./.openfaas</c> when <c>CI</c> is true, else <c>~/.openfaas</c>.
/// </summary>
public sealed class ConfigFile
{
    public const string FileName = "config.yml";
    public const string BasicAuth = "basic";
    public const string OAuth2Auth = "oauth2";

    private static readonly IDeserializer Deserializer = new DeserializerBuilder().IgnoreUnmatchedProperties().Build();

    private static readonly ISerializer Serializer = new SerializerBuilder()
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull | DefaultValuesHandling.OmitEmptyCollections)
        .Build();

    [YamlMember(Alias = "auths")]
    public List<AuthConfig> Auths { get; set; } = [];

    public static string DirectoryFor(CliContext context)
    {
        if (context.Env("OPENFAAS_CONFIG") is { } configured)
        {
            return context.ResolvePath(configured);
        }

        if (context.Env("CI") is "true" or "1")
        {
            return Path.Combine(context.CurrentDirectory, ".openfaas");
        }

        return Path.Combine(context.HomeDirectory, ".openfaas");
    }

    public static string PathFor(CliContext context) => Path.Combine(DirectoryFor(context), FileName);

    public static ConfigFile Load(string path)
    {
        if (!File.Exists(path))
        {
            return new ConfigFile();
        }

        try
        {
            var config = Deserializer.Deserialize<ConfigFile?>(File.ReadAllText(path)) ?? new ConfigFile();
            config.Auths ??= [];
            return config;
        }
        catch (YamlException ex)
        {
            throw new CommandFailedException($"invalid config file {path}:{ex.Start.Line}: {ex.Message}", ex);
        }
    }

    public void Save(string path)
    {
        var directory = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(directory))
        {
            // Owner-only folder for a credentials file, as faas-cli creates it (0700).
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        var temp = path + ".tmp";
        File.WriteAllText(temp, Serializer.Serialize(this), new UTF8Encoding(false));
        if (!OperatingSystem.IsWindows())
        {
            // The file holds credentials: owner read/write only, as faas-cli writes it.
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temp, path, overwrite: true);
    }

    public AuthConfig? Find(string gateway) =>
        Auths.FirstOrDefault(a => string.Equals(GatewayUrl.Normalize(a.Gateway ?? ""), gateway, StringComparison.Ordinal));

    public void Upsert(AuthConfig auth)
    {
        Auths.RemoveAll(a => string.Equals(GatewayUrl.Normalize(a.Gateway ?? ""), auth.Gateway, StringComparison.Ordinal));
        Auths.Add(auth);
    }

    public bool Remove(string gateway) =>
        Auths.RemoveAll(a => string.Equals(GatewayUrl.Normalize(a.Gateway ?? ""), gateway, StringComparison.Ordinal)) > 0;

    public static string EncodeBasic(string username, string password) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));
}

public sealed class AuthConfig
{
    [YamlMember(Alias = "gateway")]
    public string? Gateway { get; set; }

    /// <summary><c>basic</c> (token = base64 user:password) or <c>oauth2</c> (token = bearer token).</summary>
    [YamlMember(Alias = "auth")]
    public string? Auth { get; set; }

    [YamlMember(Alias = "token")]
    public string? Token { get; set; }

    [YamlMember(Alias = "options")]
    public List<AuthOption>? Options { get; set; }
}

public sealed class AuthOption
{
    [YamlMember(Alias = "name")]
    public string? Name { get; set; }

    [YamlMember(Alias = "value")]
    public string? Value { get; set; }
}

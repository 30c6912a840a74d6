using System.Text;
using System.Text.Json;
using Faas.Docker;

namespace Faas.Cli.Build;

/// <summary>
/// Registry credentials from docker's <c>config.json</c> (<c>$DOCKER_CONFIG/config.json</c>, else
/// <c>~/.docker/config.json</c>): the <c>auths</c> entry for a registry, keyed by host or by URL.
/// Credential helpers (<c>credsStore</c>, <c>credHelpers</c>) are not run.
/// </summary>
public sealed class DockerCredentials
{
    private readonly Dictionary<string, RegistryAuth> _byHost;

    private DockerCredentials(Dictionary<string, RegistryAuth> byHost, string path)
    {
        _byHost = byHost;
        Path = path;
    }

    /// <summary>The config file read (it may not exist).</summary>
    public string Path { get; }

    public static string ConfigPath(CliContext context) =>
        System.IO.Path.Combine(context.Env("DOCKER_CONFIG") ?? System.IO.Path.Combine(context.HomeDirectory, ".docker"), "config.json");

    /// <summary>Reads the config; a missing file means no credentials, an unreadable one is an error naming it.</summary>
    public static async Task<DockerCredentials> LoadAsync(CliContext context, CancellationToken cancellationToken)
    {
        var path = ConfigPath(context);
        var byHost = new Dictionary<string, RegistryAuth>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(path))
        {
            return new DockerCredentials(byHost, path);
        }

        try
        {
            await using var file = File.OpenRead(path);
            using var document = await JsonDocument.ParseAsync(file, cancellationToken: cancellationToken);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("auths", out var auths) && auths.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in auths.EnumerateObject())
                {
                    if (entry.Value.ValueKind == JsonValueKind.Object && Parse(HostOf(entry.Name), entry.Value) is { } auth)
                    {
                        byHost[auth.ServerAddress!] = auth;
                    }
                }
            }
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or FormatException)
        {
            throw new CommandFailedException($"cannot read docker credentials from {path}: {e.Message}", e);
        }

        return new DockerCredentials(byHost, path);
    }

    /// <summary>The credentials for <paramref name="registry"/> (a host such as <c>registry.example.com:5000</c>), or null.</summary>
    public RegistryAuth? For(string registry) => _byHost.GetValueOrDefault(registry);

    // Keys are "host", "https://host", "http://host/v1/", ...: keep just the host[:port].
    private static string HostOf(string key)
    {
        var host = key;
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            host = host[(scheme + 3)..];
        }

        var slash = host.IndexOf('/', StringComparison.Ordinal);
        return slash >= 0 ? host[..slash] : host;
    }

    private static RegistryAuth? Parse(string host, JsonElement entry)
    {
        string? username = Text(entry, "username");
        string? password = Text(entry, "password");
        if (Text(entry, "auth") is { Length: > 0 } encoded)
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                throw new FormatException($"the auth value for {host} is not base64 of user:password");
            }

            username = decoded[..colon];
            password = decoded[(colon + 1)..];
        }

        var token = Text(entry, "identitytoken");
        return username is null && token is null
            ? null
            : new RegistryAuth { Username = username, Password = password, ServerAddress = host, IdentityToken = token };
    }

    private static string? Text(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

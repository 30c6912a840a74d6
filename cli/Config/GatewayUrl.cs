namespace Faas.Cli.Config;

/// <summary>Which gateway a command talks to, and its canonical spelling.</summary>
public static class GatewayUrl
{
    public const string Default = "http://127.0.0.1:8080";
    public const string EnvironmentVariable = "OPENFAAS_URL";

    /// <summary><c>--gateway</c> flag, else <c>OPENFAAS_URL</c>, else the stack file's provider.gateway, else the default.</summary>
    public static string Resolve(string? flag, CliContext context, string? stackGateway)
    {
        var chosen = !string.IsNullOrWhiteSpace(flag) ? flag
            : context.Env(EnvironmentVariable) is { } env ? env
            : !string.IsNullOrWhiteSpace(stackGateway) ? stackGateway
            : Default;
        return Normalize(chosen);
    }

    /// <summary>As faas-cli: trimmed, lower-case, no trailing '/', <c>http://</c> when no scheme is given.</summary>
    public static string Normalize(string url)
    {
        var value = url.Trim().TrimEnd('/').ToLowerInvariant();
        if (value.Length > 0 && !value.StartsWith("http://", StringComparison.Ordinal) && !value.StartsWith("https://", StringComparison.Ordinal))
        {
            value = "http://" + value;
        }

        return value;
    }
}

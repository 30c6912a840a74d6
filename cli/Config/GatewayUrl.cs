namespace Faas.Cli.Config;

/// <summary>Which gateway a command talks to, and its canonical spelling.</summary>
public static class GatewayUrl
{
    public const string Default = "http://127.0.0.1:8080";
    public const string EnvironmentVariable = "OPENFAAS_URL";

    /// <summary>
    /// faas-cli's order: the <c>--gateway</c> flag, else the stack file's <c>provider.gateway</c>, else
    /// <c>OPENFAAS_URL</c>, else the default. A flag or stack value equal to the default counts as
    /// unset (faas-cli cannot tell it from the flag's default), so <c>OPENFAAS_URL</c> still applies.
    /// </summary>
    public static string Resolve(string? flag, CliContext context, string? stackGateway)
    {
        var chosen = IsSet(flag) ? flag!
            : IsSet(stackGateway) ? stackGateway!
            : context.Env(EnvironmentVariable) is { } env ? env
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

    private static bool IsSet(string? value) =>
        !string.IsNullOrWhiteSpace(value) && Normalize(value) != Default;
}

using System.Net;
using Faas.Contracts.Naming;

namespace Faas.Gateway.Configuration;

/// <summary>
/// The gateway's settings, read once at start-up from configuration keys named as OpenFaaS names
/// its environment variables (see the gateway table in <c>docs/internals.md</c>).
/// Build with <see cref="GatewayOptionsReader.Read"/>, which reports every error at once.
/// </summary>
public sealed record GatewayOptions
{
    public int Port { get; init; } = 8080;

    public string BindAddress { get; init; } = "127.0.0.1";

    /// <summary>Base URL of the controller (provider), without a trailing slash.</summary>
    public required Uri FunctionsProviderUrl { get; init; }

    public bool BasicAuth { get; init; }

    public string SecretMountPath { get; init; } = "/run/secrets/";

    /// <summary>Loaded from <see cref="SecretMountPath"/> when <see cref="BasicAuth"/> is on, else null.</summary>
    public BasicAuthCredentials? Credentials { get; init; }

    public string FunctionNamespace { get; init; } = FunctionNames.DefaultNamespace;

    public TimeSpan UpstreamTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public long MaxRequestBody { get; init; } = 64L * 1024 * 1024;

    public TimeSpan ReadyWaitTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many calls may be held at once for one function waiting for a ready replica; more → 503.</summary>
    public int MaxHeldRequestsPerFunction { get; init; } = 1000;

    /// <summary>Port of the separate <c>/metrics</c> listener (same bind address); 0 = any free port.</summary>
    public int MetricsPort { get; init; } = 8082;

    /// <summary>Prometheus base URL for <c>invocationCount</c> in <c>GET /system/functions</c>; null = not configured.</summary>
    public Uri? PrometheusUrl { get; init; }

    /// <summary>The controller base URL as a string prefix for the forwarder (no trailing slash).</summary>
    public string ProviderPrefix => FunctionsProviderUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');

    internal IPAddress? ParsedBindAddress =>
        BindAddress.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? null : IPAddress.Parse(BindAddress);
}

/// <summary>The basic-auth user and password read from the secret mount.</summary>
public sealed record BasicAuthCredentials(string User, string Password)
{
    public override string ToString() => $"BasicAuthCredentials {{ User = {User}, Password = *** }}";
}

/// <summary>Thrown at start-up when configuration is invalid; the message lists every problem.</summary>
public sealed class GatewayOptionsException(IReadOnlyList<string> errors)
    : Exception("invalid gateway configuration:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

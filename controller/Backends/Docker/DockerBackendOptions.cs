using Faas.Controller.Configuration;
using Faas.Docker;

namespace Faas.Controller.Backends.Docker;

/// <summary>
/// Keys of the Docker backend (read only when <c>backend=docker</c>), validated at start-up.
/// </summary>
public sealed record DockerBackendOptions
{
    public const string DefaultNetwork = "faas-functions";

    /// <summary><c>docker_host</c>: the Engine API endpoint; default <c>DOCKER_HOST</c>, else the local socket.</summary>
    public required DockerEndpoint Endpoint { get; init; }

    /// <summary><c>docker_network</c>: the bridge network the platform creates for function containers.</summary>
    public string Network { get; init; } = DefaultNetwork;

    /// <summary>
    /// <c>docker_gateway_reachability</c>: how the gateway reaches replicas. Only <c>bridge_ip</c>
    /// (the gateway on the Docker host reaches bridge IPs directly; Linux) is implemented.
    /// </summary>
    public string GatewayReachability { get; init; } = "bridge_ip";

    /// <summary>
    /// <c>docker_sandbox</c> (default true): standbys join a running sandbox container's network
    /// namespace, so a wake does not set one up (DockerBackend.Sandbox.cs).
    /// </summary>
    public bool Sandboxes { get; init; } = true;

    /// <summary>
    /// <c>docker_freezer</c>: how the warm tier freezes replicas. <c>auto</c>: their cgroup's freezer
    /// file when the daemon is on a local unix socket and the file is found and writable, else the API.
    /// </summary>
    public DockerFreezerMode Freezer { get; init; } = DockerFreezerMode.Auto;

    /// <summary>The port the watchdog listens on inside every container.</summary>
    public int WatchdogPort { get; init; } = 8080;

    public static DockerBackendOptions Load(IConfiguration configuration)
    {
        var errors = new List<string>();
        var host = configuration["docker_host"] ?? Environment.GetEnvironmentVariable("DOCKER_HOST");
        DockerEndpoint endpoint;
        try
        {
            endpoint = string.IsNullOrWhiteSpace(host) ? DockerClientOptions.FromEnvironment().Endpoint : DockerEndpoint.Parse(host.Trim());
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            errors.Add($"docker_host '{host}' is invalid: use unix:///var/run/docker.sock or tcp://host:2375 ({e.Message})");
            endpoint = DockerClientOptions.FromEnvironment().Endpoint;
        }

        var network = configuration["docker_network"]?.Trim();
        if (string.IsNullOrEmpty(network))
        {
            network = DefaultNetwork;
        }
        else if (!System.Text.RegularExpressions.Regex.IsMatch(network, "^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$"))
        {
            errors.Add($"docker_network '{network}' is invalid: use letters, digits, '_', '.', '-' (e.g. faas-functions)");
        }

        var reachability = configuration["docker_gateway_reachability"]?.Trim().ToLowerInvariant();
        if (!string.IsNullOrEmpty(reachability) && reachability != "bridge_ip")
        {
            errors.Add($"docker_gateway_reachability '{reachability}' is not supported: use bridge_ip (the gateway runs on the Docker host)");
        }

        var sandboxes = true;
        if (configuration["docker_sandbox"] is { } sandboxText && !bool.TryParse(sandboxText.Trim(), out sandboxes))
        {
            errors.Add($"docker_sandbox '{sandboxText}' is invalid: use true or false");
            sandboxes = true;
        }

        var freezer = DockerFreezerMode.Auto;
        var freezerValue = configuration["docker_freezer"]?.Trim().ToLowerInvariant();
        switch (freezerValue)
        {
            case null or "" or "auto":
                break;
            case "api":
                freezer = DockerFreezerMode.Api;
                break;
            case "cgroup":
                freezer = DockerFreezerMode.Cgroup;
                if (endpoint.Kind != DockerEndpointKind.Unix)
                {
                    errors.Add($"docker_freezer 'cgroup' needs the daemon on this host: docker_host '{endpoint}' is not a unix socket (use auto or api)");
                }

                break;
            default:
                errors.Add($"docker_freezer '{freezerValue}' is invalid: use auto, cgroup (write the container's cgroup freezer; local daemon, root) or api (docker pause)");
                break;
        }

        if (errors.Count > 0)
        {
            throw new ControllerOptionsException(errors);
        }

        return new DockerBackendOptions { Endpoint = endpoint, Network = network, Sandboxes = sandboxes, Freezer = freezer };
    }
}

/// <summary>Values of <c>docker_freezer</c>.</summary>
public enum DockerFreezerMode
{
    Auto,
    Cgroup,
    Api,
}

namespace Faas.Docker;

/// <summary>How <see cref="DockerClient"/> reaches and talks to the daemon.</summary>
public sealed record DockerClientOptions
{
    /// <summary>The highest Engine API version this client speaks (docker 20.10).</summary>
    public static readonly Version SupportedApiVersion = new(1, 41);

    /// <summary>The lowest Engine API version the request shapes here are valid for.</summary>
    public static readonly Version MinimumApiVersion = new(1, 25);

    /// <summary>Where the daemon listens. Default <c>unix:///var/run/docker.sock</c>.</summary>
    public DockerEndpoint Endpoint { get; init; } = DockerEndpoint.Default;

    /// <summary>
    /// The highest API version to negotiate; the client uses min(this, the daemon's version).
    /// Default and upper bound 1.41.
    /// </summary>
    public Version MaxApiVersion { get; init; } = SupportedApiVersion;

    /// <summary>
    /// How long a plain request (not a stream, build, import or wait) may take before the daemon is
    /// reported unavailable. Default 100 s.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>How long opening a connection may take. Default 5 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Options for the daemon named by <c>DOCKER_HOST</c> (default socket when unset).
    /// Throws <see cref="FormatException"/> when <c>DOCKER_HOST</c> is set but invalid.
    /// </summary>
    public static DockerClientOptions FromEnvironment(Func<string, string?>? getVariable = null)
    {
        var value = (getVariable ?? Environment.GetEnvironmentVariable)("DOCKER_HOST");
        return string.IsNullOrWhiteSpace(value)
            ? new DockerClientOptions()
            : new DockerClientOptions { Endpoint = DockerEndpoint.Parse(value) };
    }

    /// <summary>Every problem with these options, each naming the key, the value and the valid range.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Endpoint is null)
        {
            errors.Add("Endpoint is null; set it to a unix socket or tcp endpoint.");
        }

        if (MaxApiVersion is null || MaxApiVersion < MinimumApiVersion || MaxApiVersion > SupportedApiVersion)
        {
            errors.Add($"MaxApiVersion '{MaxApiVersion}' is out of range; use {MinimumApiVersion} to {SupportedApiVersion}.");
        }

        if (RequestTimeout <= TimeSpan.Zero && RequestTimeout != Timeout.InfiniteTimeSpan)
        {
            errors.Add($"RequestTimeout '{RequestTimeout}' must be positive (or Timeout.InfiniteTimeSpan).");
        }

        if (ConnectTimeout <= TimeSpan.Zero || ConnectTimeout > TimeSpan.FromMinutes(5))
        {
            errors.Add($"ConnectTimeout '{ConnectTimeout}' is out of range; use more than 0 and at most 5 minutes.");
        }

        return errors;
    }
}

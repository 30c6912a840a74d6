namespace Faas.Docker;

/// <summary>The answer to <c>GET /_ping</c>: the daemon is up, and the API version it speaks.</summary>
public sealed record DockerPing(string? ApiVersion, string? OsType, bool Experimental);

/// <summary>The fields of <c>GET /version</c> the platform uses.</summary>
public sealed record VersionResponse
{
    public string? Version { get; init; }

    public string? ApiVersion { get; init; }

    public string? MinAPIVersion { get; init; }

    public string? GitCommit { get; init; }

    public string? GoVersion { get; init; }

    public string? Os { get; init; }

    public string? Arch { get; init; }

    public string? KernelVersion { get; init; }
}

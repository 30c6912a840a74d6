using System.Text.Json.Serialization;

namespace Faas.Docker;

/// <summary>The body of <c>POST /containers/create</c> (and <see cref="Name"/>, sent as the <c>name</c> query parameter).</summary>
public sealed record CreateContainerParameters
{
    /// <summary>The container's name (<c>name</c> query parameter); the daemon picks one when null.</summary>
    [JsonIgnore]
    public string? Name { get; init; }

    public required string Image { get; init; }

    public IList<string>? Cmd { get; init; }

    public IList<string>? Entrypoint { get; init; }

    /// <summary><c>KEY=value</c> entries.</summary>
    public IList<string>? Env { get; init; }

    public IDictionary<string, string>? Labels { get; init; }

    /// <summary>Ports such as <c>8080/tcp</c>, each mapped to <see cref="EmptyObject.Instance"/>.</summary>
    public IDictionary<string, EmptyObject>? ExposedPorts { get; init; }

    public string? User { get; init; }

    public string? WorkingDir { get; init; }

    public bool? Tty { get; init; }

    public string? StopSignal { get; init; }

    /// <summary>Seconds to wait after <see cref="StopSignal"/> before killing.</summary>
    public int? StopTimeout { get; init; }

    public HostConfig? HostConfig { get; init; }

    public NetworkingConfig? NetworkingConfig { get; init; }
}

/// <summary>Host-side settings of a container: networking mode, mounts, limits, restart policy.</summary>
public sealed record HostConfig
{
    /// <summary><c>bridge</c>, <c>host</c>, <c>none</c>, <c>container:&lt;id&gt;</c> or a network's name.</summary>
    public string? NetworkMode { get; init; }

    /// <summary><c>host-path:container-path[:ro]</c> entries.</summary>
    public IList<string>? Binds { get; init; }

    public IList<Mount>? Mounts { get; init; }

    /// <summary>Memory limit in bytes; 0 for none.</summary>
    public long? Memory { get; init; }

    /// <summary>CPU quota in units of 1e-9 CPUs (1.5 CPUs = 1_500_000_000).</summary>
    public long? NanoCpus { get; init; }

    public bool? ReadonlyRootfs { get; init; }

    /// <summary>Kernel capabilities to drop, e.g. <c>["ALL"]</c>.</summary>
    public IList<string>? CapDrop { get; init; }

    /// <summary>Container path to mount options, e.g. <c>{"/tmp": "rw,size=64m"}</c>.</summary>
    public IDictionary<string, string>? Tmpfs { get; init; }

    public RestartPolicy? RestartPolicy { get; init; }

    public bool? AutoRemove { get; init; }

    /// <summary>Container port (<c>8080/tcp</c>) to host bindings.</summary>
    public IDictionary<string, IList<PortBinding>>? PortBindings { get; init; }
}

/// <summary>A mount; for secrets use <c>Type = "bind"</c> with <c>ReadOnly = true</c>.</summary>
public sealed record Mount
{
    /// <summary><c>bind</c>, <c>volume</c> or <c>tmpfs</c>.</summary>
    public string Type { get; init; } = "bind";

    public string? Source { get; init; }

    public required string Target { get; init; }

    public bool? ReadOnly { get; init; }
}

public sealed record RestartPolicy
{
    /// <summary><c>no</c>, <c>always</c>, <c>unless-stopped</c> or <c>on-failure</c>.</summary>
    public required string Name { get; init; }

    public int? MaximumRetryCount { get; init; }
}

public sealed record PortBinding
{
    public string? HostIp { get; init; }

    public string? HostPort { get; init; }
}

public sealed record NetworkingConfig
{
    /// <summary>Network name to endpoint settings, for the networks to join at creation.</summary>
    public IDictionary<string, EndpointSettings>? EndpointsConfig { get; init; }
}

/// <summary>A container's attachment to one network (in requests: aliases; in answers: its address).</summary>
public sealed record EndpointSettings
{
    public IList<string>? Aliases { get; init; }

    public string? NetworkID { get; init; }

    public string? EndpointID { get; init; }

    public string? Gateway { get; init; }

    public string? IPAddress { get; init; }

    public int? IPPrefixLen { get; init; }

    public string? MacAddress { get; init; }
}

public sealed record CreateContainerResponse
{
    public required string Id { get; init; }

    public IReadOnlyList<string>? Warnings { get; init; }
}

/// <summary>The fields of <c>GET /containers/{id}/json</c> the platform uses.</summary>
public sealed record ContainerInspectResponse
{
    public required string Id { get; init; }

    /// <summary>The name with the daemon's leading slash, e.g. <c>/fn-echo-1</c>.</summary>
    public string? Name { get; init; }

    public DateTimeOffset? Created { get; init; }

    /// <summary>The image id the container runs.</summary>
    public string? Image { get; init; }

    public int RestartCount { get; init; }

    public ContainerState? State { get; init; }

    public ContainerConfig? Config { get; init; }

    public HostConfig? HostConfig { get; init; }

    public NetworkSettings? NetworkSettings { get; init; }
}

public sealed record ContainerState
{
    /// <summary><c>created</c>, <c>running</c>, <c>paused</c>, <c>restarting</c>, <c>removing</c>, <c>exited</c> or <c>dead</c>.</summary>
    public string? Status { get; init; }

    public bool Running { get; init; }

    public bool Paused { get; init; }

    public bool Restarting { get; init; }

    public bool OOMKilled { get; init; }

    public bool Dead { get; init; }

    public int Pid { get; init; }

    public int ExitCode { get; init; }

    public string? Error { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Null when the image defines no health check.</summary>
    public ContainerHealth? Health { get; init; }
}

public sealed record ContainerHealth
{
    /// <summary><c>starting</c>, <c>healthy</c> or <c>unhealthy</c>.</summary>
    public string? Status { get; init; }

    public int FailingStreak { get; init; }
}

public sealed record ContainerConfig
{
    public string? Image { get; init; }

    public IReadOnlyList<string>? Cmd { get; init; }

    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyList<string>? Env { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public string? User { get; init; }

    public string? WorkingDir { get; init; }

    public bool Tty { get; init; }
}

public sealed record NetworkSettings
{
    /// <summary>Network name to this container's endpoint on it.</summary>
    public IReadOnlyDictionary<string, EndpointSettings>? Networks { get; init; }
}

/// <summary>Parameters of <c>GET /containers/json</c>.</summary>
public sealed record ContainerListParameters
{
    /// <summary>Include stopped containers (<c>all</c>). Default true: a backend wants to see crashed replicas.</summary>
    public bool All { get; init; } = true;

    /// <summary>Label filters: <c>key</c> or <c>key=value</c>; all must match.</summary>
    public IList<string>? Labels { get; init; }

    /// <summary>Any other Engine filters (<c>name</c>, <c>status</c>, <c>network</c>, ...).</summary>
    public IDictionary<string, IList<string>>? Filters { get; init; }
}

/// <summary>One entry of <c>GET /containers/json</c>.</summary>
public sealed record ContainerSummary
{
    public required string Id { get; init; }

    /// <summary>Names with the daemon's leading slash.</summary>
    public IReadOnlyList<string>? Names { get; init; }

    public string? Image { get; init; }

    public string? ImageID { get; init; }

    /// <summary>Unix seconds.</summary>
    public long Created { get; init; }

    /// <summary><c>created</c>, <c>running</c>, <c>paused</c>, <c>exited</c>, ...</summary>
    public string? State { get; init; }

    /// <summary>Human-readable, e.g. <c>Up 3 minutes</c>.</summary>
    public string? Status { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public NetworkSettings? NetworkSettings { get; init; }
}

/// <summary>The answer of <c>POST /containers/{id}/wait</c>.</summary>
public sealed record ContainerWaitResponse
{
    public long StatusCode { get; init; }

    public ContainerWaitError? Error { get; init; }
}

public sealed record ContainerWaitError
{
    public string? Message { get; init; }
}

/// <summary>Parameters of <c>GET /containers/{id}/logs</c>.</summary>
public sealed record ContainerLogsParameters
{
    public bool Stdout { get; init; } = true;

    public bool Stderr { get; init; } = true;

    /// <summary>Keep streaming new output until the container stops or the caller cancels.</summary>
    public bool Follow { get; init; }

    /// <summary>Only the last N lines; null for all.</summary>
    public int? Tail { get; init; }

    /// <summary>Only lines written at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Ask the daemon to prefix lines with their time; parsed into <see cref="LogLine.Timestamp"/>.</summary>
    public bool Timestamps { get; init; }
}

public enum LogStream
{
    Stdout,
    Stderr,
}

/// <summary>One line a container wrote, without its newline.</summary>
public sealed record LogLine(LogStream Stream, DateTimeOffset? Timestamp, string Text);

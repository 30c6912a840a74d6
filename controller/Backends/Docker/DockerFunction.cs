using Faas.Contracts.Functions;

namespace Faas.Controller.Backends.Docker;

/// <summary>Desired state of one function (mirrored in its spec container's labels) and what was last observed.</summary>
internal sealed class DockerFunction
{
    public required string Name { get; init; }

    public required string Namespace { get; init; }

    public required FunctionDeployment Deployment { get; set; }

    public int Replicas { get; set; }

    public int Generation { get; set; }

    /// <summary>Increases on every spec change; the highest spec container wins after a crash mid-change.</summary>
    public long Revision { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public string? SpecContainerId { get; set; }

    /// <summary>When the current generation was rolled out: old replicas go at the latest after the startup timeout.</summary>
    public DateTimeOffset GenerationStartedAt { get; set; }

    /// <summary>Crash back-off: no replacement before this time (1 s doubling to 30 s; reset once a replica is ready).</summary>
    public DateTimeOffset NextCreateAt { get; set; }

    public TimeSpan CrashBackoff { get; set; }

    /// <summary>The created, not started container a wake starts (null: none yet, or just woken). Read and written under the gate.</summary>
    public StandbyContainer? Standby { get; set; }

    /// <summary>No standby create before this time (set after one failed).</summary>
    public DateTimeOffset NextStandbyAt { get; set; }

    /// <summary>Warm tier: the replicas are paused or being paused; they are off the endpoint table either way.</summary>
    public bool Paused { get; set; }

    /// <summary>A pause is in its grace period (<see cref="Paused"/> is already true; the containers still run).</summary>
    public bool Pausing { get; set; }

    /// <summary>Running (or paused) replicas seen by the last pass (ready or not).</summary>
    public List<ObservedReplica> Observed { get; set; } = [];

    /// <summary>Every desired replica of the current generation observed ready, nothing else running, no replacement due.</summary>
    public bool IsSettled(DateTimeOffset now) =>
        Observed.Count == Replicas && Observed.All(r => r.Ready && r.Generation == Generation) && NextCreateAt <= now;

    public FunctionStatus ToStatus() => new()
    {
        Name = Name,
        Namespace = Namespace,
        Image = Deployment.Image,
        EnvProcess = Deployment.EnvProcess,
        EnvVars = Deployment.EnvVars,
        Constraints = Deployment.Constraints,
        Secrets = Deployment.Secrets,
        Labels = Deployment.Labels,
        Annotations = Deployment.Annotations,
        Limits = Deployment.Limits,
        Requests = Deployment.Requests,
        ReadOnlyRootFilesystem = Deployment.ReadOnlyRootFilesystem,
        Replicas = (ulong)Replicas,
        AvailableReplicas = Paused ? 0 : (ulong)Observed.Count(r => r.Ready && r.Generation == Generation),
        CreatedAt = CreatedAt,
    };
}

/// <summary>One replica container as the last reconcile pass saw it (a paused one counts as ready: it was when paused).</summary>
internal sealed record ObservedReplica(string ContainerId, string ContainerName, string ReplicaId, int Generation, string? Address, bool Ready, long Created, bool Paused = false);

namespace Faas.Controller.Backends.Process;

public enum ReplicaState
{
    Starting,
    Ready,

    /// <summary>Off the endpoint table, about to be paused once callers noticed and nothing is in flight.</summary>
    Pausing,

    /// <summary>Stopped with SIGSTOP (the warm tier); resumed straight to <see cref="Ready"/>.</summary>
    Paused,
    Failed,
    Stopping,
    Stopped,
}

/// <summary>One watchdog process of a function. <see cref="State"/> is guarded by its supervisor.</summary>
internal sealed class Replica(string id, int port, long generation, DateTimeOffset startedAt, IReplicaProcess process, DateTimeOffset watchSince)
{
    public string Id { get; } = id;

    public int Port { get; } = port;

    public string Url { get; } = $"http://127.0.0.1:{port}";

    public long Generation { get; } = generation;

    public DateTimeOffset StartedAt { get; } = startedAt;

    public IReplicaProcess Process { get; } = process;

    /// <summary>Start of the <c>replica_startup_timeout</c> window (launch, or adoption after a restart).</summary>
    public DateTimeOffset WatchSince { get; } = watchSince;

    public ReplicaState State { get; set; } = ReplicaState.Starting;

    public string? FailureReason { get; set; }

    /// <summary>The readiness/health monitor loop.</summary>
    public Task? Monitor { get; set; }

    /// <summary>Cancels the readiness/health monitor.</summary>
    public CancellationTokenSource MonitorStop { get; } = new();

    public ReplicaRecord ToRecord() => new()
    {
        Id = Id,
        Pid = Process.Pid,
        Port = Port,
        Generation = Generation,
        StartedAt = StartedAt,
    };
}

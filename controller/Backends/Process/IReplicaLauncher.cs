namespace Faas.Controller.Backends.Process;

/// <summary>
/// Starts replica processes and re-attaches to ones a previous controller started. The seam
/// between the process backend's bookkeeping and the operating system; tests use a fake.
/// </summary>
public interface IReplicaLauncher
{
    /// <summary>Starts a replica; throws when the process cannot be started at all.</summary>
    IReplicaProcess Launch(ReplicaLaunchSpec spec);

    /// <summary>
    /// The running process <paramref name="pid"/> if it is alive and is replica
    /// <paramref name="replicaId"/> (its environment carries the matching <c>FAAS_REPLICA_ID</c>); else null.
    /// </summary>
    IReplicaProcess? TryAdopt(int pid, string replicaId);
}

/// <summary>A running replica process.</summary>
public interface IReplicaProcess : IDisposable
{
    int Pid { get; }

    bool HasExited { get; }

    /// <summary>Stopped by a signal (SIGSTOP; <c>/proc/&lt;pid&gt;/stat</c> state T), e.g. paused by a previous controller.</summary>
    bool IsPaused { get; }

    /// <summary>SIGSTOP: the process keeps its memory and sockets but gets no CPU. False when it is gone.</summary>
    bool Pause();

    /// <summary>SIGCONT. False when it is gone.</summary>
    bool Resume();

    /// <summary>Completes when the process has exited.</summary>
    Task WaitForExitAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// SIGCONT (a paused process handles nothing else), SIGTERM, then SIGKILL once <paramref name="drainTimeout"/> passed without an exit
    /// (a zero drain kills at once). Completes when the process is gone.
    /// </summary>
    Task StopAsync(TimeSpan drainTimeout, CancellationToken cancellationToken = default);
}

/// <summary>Everything needed to start one replica.</summary>
/// <param name="Environment">
/// The replica's own variables (the function's <c>envVars</c>, <c>fprocess</c> and the platform keys
/// from docs/internals.md); the launcher adds what it needs itself.
/// </param>
public sealed record ReplicaLaunchSpec(
    string ReplicaId,
    string FunctionName,
    string Namespace,
    int Port,
    string HandlerAssembly,
    string LogFile,
    IReadOnlyDictionary<string, string> Environment);

namespace Faas.Controller.Backends.Process;

/// <summary>Log events of the process backend (event ids 100-199).</summary>
internal static partial class ProcessBackendLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Replica {ReplicaId} of {Function}: {OldState} -> {NewState} (pid {Pid}, port {Port})")]
    public static partial void ReplicaTransition(ILogger logger, string replicaId, string function, string oldState, ReplicaState newState, int pid, int port);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Replica {ReplicaId} of {Function} failed: {Reason}")]
    public static partial void ReplicaFailed(ILogger logger, string replicaId, string function, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Function {Function}: replacing a failed replica in {Backoff} (failure {Failures} in a row)")]
    public static partial void Backoff(ILogger logger, string function, TimeSpan backoff, int failures);

    [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "Function {Function}: could not start a replica")]
    public static partial void LaunchFailed(ILogger logger, string function, Exception exception);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Function {Function}: deployed {Image} with {Replicas} replica(s)")]
    public static partial void Deployed(ILogger logger, string function, string image, int replicas);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Function {Function}: updating to {Image}, generation {Generation}")]
    public static partial void Updating(ILogger logger, string function, string image, long generation);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "Function {Function}: replicas {OldReplicas} -> {NewReplicas}")]
    public static partial void Scaled(ILogger logger, string function, int oldReplicas, int newReplicas);

    [LoggerMessage(EventId = 107, Level = LogLevel.Information, Message = "Function {Function}: deleted")]
    public static partial void Deleted(ILogger logger, string function);

    [LoggerMessage(EventId = 108, Level = LogLevel.Information, Message = "Recovered {Functions} function(s) from {StateFile}: adopted {Adopted} running replica(s), {Lost} to start again")]
    public static partial void Recovered(ILogger logger, int functions, string stateFile, int adopted, int lost);

    [LoggerMessage(EventId = 109, Level = LogLevel.Error, Message = "Reconcile of {Function} failed")]
    public static partial void ReconcileFailed(ILogger logger, string function, Exception exception);

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "Stopping replica {ReplicaId} failed")]
    public static partial void StopFailed(ILogger logger, string replicaId, Exception exception);

    [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "Stopping {Replicas} replica(s) of {Functions} function(s)")]
    public static partial void StoppingAll(ILogger logger, int replicas, int functions);

    [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "The watchdog (Faas.Watchdog.dll) was not found; looked in {Paths}. Replicas cannot start until watchdog_path is set or watchdog/ is built")]
    public static partial void WatchdogMissing(ILogger logger, string paths);

    [LoggerMessage(EventId = 113, Level = LogLevel.Warning, Message = "Could not remove {Path}")]
    public static partial void CleanupFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 114, Level = LogLevel.Information, Message = "Secret {Secret} in namespace {Namespace} refreshed in {Copies} replica folder(s)")]
    public static partial void SecretRefreshed(ILogger logger, string secret, string @namespace, int copies);

    [LoggerMessage(EventId = 115, Level = LogLevel.Warning, Message = "Secret {Secret} listed by {Function} does not exist; the replica starts without it")]
    public static partial void SecretMissing(ILogger logger, string secret, string function);

    [LoggerMessage(EventId = 116, Level = LogLevel.Information, Message = "Function {Function}: not paused, replica {ReplicaId} has {InFlight} call(s) in flight")]
    public static partial void PauseCanceled(ILogger logger, string function, string replicaId, string inFlight);
}

namespace Faas.Controller.Backends.Docker;

/// <summary>Log events of the Docker backend (6xx).</summary>
internal static partial class DockerBackendLog
{
    [LoggerMessage(EventId = 600, Level = LogLevel.Information, Message = "Deployed {Function} ({Image}), {Replicas} replica(s)")]
    public static partial void Deployed(ILogger logger, string function, string image, int replicas);

    [LoggerMessage(EventId = 601, Level = LogLevel.Information, Message = "Started container {Container} (replica {Replica}) of {Function}")]
    public static partial void ReplicaStarted(ILogger logger, string container, string replica, string function);

    [LoggerMessage(EventId = 602, Level = LogLevel.Warning, Message = "Container {Container} of {Function} is {State}; replacing it")]
    public static partial void ReplicaCrashed(ILogger logger, string container, string function, string state);

    [LoggerMessage(EventId = 603, Level = LogLevel.Information, Message = "Removed container {Container} of {Function} ({Reason})")]
    public static partial void ReplicaRemoved(ILogger logger, string container, string function, string reason);

    [LoggerMessage(EventId = 604, Level = LogLevel.Information, Message = "Recovered {Count} function(s) from container labels")]
    public static partial void Recovered(ILogger logger, int count);

    [LoggerMessage(EventId = 605, Level = LogLevel.Warning, Message = "Docker daemon available {Old} -> {New}: {Reason}")]
    public static partial void Availability(ILogger logger, bool old, bool @new, string reason);

    [LoggerMessage(EventId = 606, Level = LogLevel.Error, Message = "Creating a replica of {Function} failed")]
    public static partial void CreateFailed(ILogger logger, string function, Exception exception);

    [LoggerMessage(EventId = 607, Level = LogLevel.Error, Message = "Reconcile pass failed")]
    public static partial void ReconcileFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 608, Level = LogLevel.Information, Message = "Deleted {Function}")]
    public static partial void Deleted(ILogger logger, string function);

    [LoggerMessage(EventId = 609, Level = LogLevel.Information, Message = "Secret {Secret} in namespace {Namespace} refreshed for {Functions} function(s)")]
    public static partial void SecretRefreshed(ILogger logger, string secret, string @namespace, int functions);

    [LoggerMessage(EventId = 610, Level = LogLevel.Warning, Message = "Could not remove {Path}")]
    public static partial void CleanupFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 611, Level = LogLevel.Debug, Message = "Container {Container} of {Function}: {Action}")]
    public static partial void ContainerEvent(ILogger logger, string container, string function, string action);

    [LoggerMessage(EventId = 612, Level = LogLevel.Debug, Message = "Docker event stream ended ({Reason}); reconnecting in {Delay}")]
    public static partial void EventStreamEnded(ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 613, Level = LogLevel.Information, Message = "Warm tier {Function}: {Change} ({Replicas} replica(s))")]
    public static partial void PauseChanged(ILogger logger, string function, string change, int replicas);

    [LoggerMessage(EventId = 614, Level = LogLevel.Information, Message = "Pause of {Function} canceled: container {Container} has {InFlight} call(s) in flight")]
    public static partial void PauseCanceled(ILogger logger, string function, string container, string inFlight);

    [LoggerMessage(EventId = 615, Level = LogLevel.Information, Message = "Started standby container {Container} (replica {Replica}) of {Function}")]
    public static partial void StandbyStarted(ILogger logger, string container, string replica, string function);

    [LoggerMessage(EventId = 616, Level = LogLevel.Information, Message = "Created standby container {Container} of {Function}")]
    public static partial void StandbyCreated(ILogger logger, string container, string function);

    [LoggerMessage(EventId = 617, Level = LogLevel.Debug, Message = "Container {Container} of {Function} is ready (start probe)")]
    public static partial void StartProbeReady(ILogger logger, string container, string function);

    [LoggerMessage(EventId = 618, Level = LogLevel.Information, Message = "Warm tier freezes containers through {Mode}: {Reason}")]
    public static partial void FreezerChosen(ILogger logger, string mode, string reason);

    [LoggerMessage(EventId = 640, Level = LogLevel.Warning, Message = "No sandbox for the standby of {Function} ({Reason}); it gets its own network namespace (slower wake)")]
    public static partial void SandboxFailed(ILogger logger, string function, string reason);

    [LoggerMessage(EventId = 641, Level = LogLevel.Information, Message = "Standbys get no sandbox: no sandbox program for the daemon's architecture {Arch}; wakes start a network namespace each")]
    public static partial void SandboxUnsupported(ILogger logger, string arch);

    [LoggerMessage(EventId = 642, Level = LogLevel.Information, Message = "Made the sandbox image {Image} on the daemon ({Arch})")]
    public static partial void SandboxImageMade(ILogger logger, string image, string arch);

    [LoggerMessage(EventId = 643, Level = LogLevel.Warning, Message = "Container {Container} of {Function} lost its sandbox (network namespace); removing it")]
    public static partial void SandboxLost(ILogger logger, string container, string function);
}

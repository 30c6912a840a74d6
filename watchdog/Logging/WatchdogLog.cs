using Faas.Watchdog.Serving;

namespace Faas.Watchdog.Logging;

/// <summary>Every log event of the watchdog, with stable ids (1xx start-up, 2xx calls, 3xx drain).</summary>
internal static partial class WatchdogLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Serving {HandlerType} ({Shape}) as function {FunctionName}.{FunctionNamespace}")]
    public static partial void HandlerLoaded(this ILogger logger, string? handlerType, string shape, string functionName, string functionNamespace);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Replica state {OldState} -> {NewState}")]
    public static partial void StateChanged(this ILogger logger, ReplicaState oldState, ReplicaState newState);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Handler initialized in {ElapsedMs} ms")]
    public static partial void Initialized(this ILogger logger, long elapsedMs);

    [LoggerMessage(EventId = 103, Level = LogLevel.Critical, Message = "Handler initialization failed; the replica stops")]
    public static partial void InitializationFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Could not write or remove the lock file {Path}")]
    public static partial void LockFileFailed(this ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 200, Level = LogLevel.Error, Message = "Function {FunctionName} failed on {Method} {Path}")]
    public static partial void HandlerFailed(this ILogger logger, string functionName, string method, string path, Exception exception);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Function {FunctionName} exceeded its timeout of {Timeout} on {Method} {Path}")]
    public static partial void Timeout(this ILogger logger, string functionName, string timeout, string method, string path);

    [LoggerMessage(EventId = 202, Level = LogLevel.Debug, Message = "Client went away during {Method} {Path}")]
    public static partial void ClientDisconnected(this ILogger logger, string method, string path);

    [LoggerMessage(EventId = 203, Level = LogLevel.Debug, Message = "Concurrent request limit of {MaxInflight} reached; answered 429")]
    public static partial void ConcurrencyLimited(this ILogger logger, int maxInflight);

    [LoggerMessage(EventId = 204, Level = LogLevel.Information, Message = "Request body too large on {Method} {Path} (limit {Limit} bytes); answered 413")]
    public static partial void BodyTooLarge(this ILogger logger, string method, string path, long limit);

    [LoggerMessage(EventId = 205, Level = LogLevel.Warning, Message = "Response to {Method} {Path} failed after it started; connection aborted")]
    public static partial void ResponseFailed(this ILogger logger, string method, string path, Exception exception);

    [LoggerMessage(EventId = 206, Level = LogLevel.Warning, Message = "Function {FunctionName} failed after its call had already been answered (timeout or disconnect)")]
    public static partial void AbandonedCallFailed(this ILogger logger, string functionName, Exception exception);

    [LoggerMessage(EventId = 207, Level = LogLevel.Debug, Message = "Function {FunctionName} answered {StatusCode}: {Message}")]
    public static partial void FunctionError(this ILogger logger, string functionName, int statusCode, string message);

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Shutdown requested: unready for {HealthcheckInterval}, then draining {InFlight} in-flight call(s) for up to {WriteTimeout}")]
    public static partial void DrainStarted(this ILogger logger, string healthcheckInterval, int inFlight, string writeTimeout);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Drained; {InFlight} call(s) still in flight")]
    public static partial void Drained(this ILogger logger, int inFlight);
}

namespace Faas.Watchdog.Modes;

/// <summary>Log events of the process modes (4xx).</summary>
internal static partial class ModesLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Started fprocess (pid {Pid}); waiting for {UpstreamUrl}")]
    public static partial void UpstreamStarting(this ILogger logger, int pid, Uri upstreamUrl);

    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "Upstream {UpstreamUrl} accepts connections after {ElapsedMs} ms")]
    public static partial void UpstreamReady(this ILogger logger, Uri upstreamUrl, long elapsedMs);

    [LoggerMessage(EventId = 402, Level = LogLevel.Error, Message = "fprocess exited with code {ExitCode}; the replica is failed and stops")]
    public static partial void FunctionProcessExited(this ILogger logger, int exitCode);

    [LoggerMessage(EventId = 403, Level = LogLevel.Warning, Message = "Upstream call {Method} {Path} failed")]
    public static partial void UpstreamFailed(this ILogger logger, string method, string path, Exception exception);

    [LoggerMessage(EventId = 404, Level = LogLevel.Warning, Message = "Forked fprocess exited with code {ExitCode} on {Method} {Path}")]
    public static partial void ForkFailed(this ILogger logger, int exitCode, string method, string path);
}

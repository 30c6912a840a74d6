using Microsoft.Extensions.Logging;

namespace Faas.Kubernetes;

/// <summary>The client's log messages (event ids 7100-7199).</summary>
internal static partial class KubernetesClientLog
{
    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "{Operation}: cannot reach the API server at {Server}: {Reason}")]
    public static partial void Unreachable(ILogger logger, string operation, Uri server, string reason);

    [LoggerMessage(EventId = 7110, Level = LogLevel.Debug, Message = "Watch {Path} ended ({Reason}); resuming from resourceVersion {ResourceVersion} in {Delay}")]
    public static partial void WatchResuming(ILogger logger, string path, string reason, string? resourceVersion, TimeSpan delay);

    [LoggerMessage(EventId = 7111, Level = LogLevel.Information, Message = "Watch {Path}: resourceVersion {ResourceVersion} is gone (410); listing again")]
    public static partial void WatchRelisting(ILogger logger, string path, string? resourceVersion);

    [LoggerMessage(EventId = 7112, Level = LogLevel.Warning, Message = "Watch {Path}: cannot reach the API server ({Reason}); retrying in {Delay}")]
    public static partial void WatchUnavailable(ILogger logger, string path, string reason, TimeSpan delay);
}

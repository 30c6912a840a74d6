using Microsoft.Extensions.Logging;

namespace Faas.Docker;

/// <summary>Log messages of the Docker client; event ids 1-99 belong to this component.</summary>
internal static partial class DockerClientLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Docker daemon at {Endpoint} speaks API {ServerVersion}; using API {ApiVersion}")]
    public static partial void ApiVersionNegotiated(ILogger logger, string endpoint, string serverVersion, string apiVersion);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "{Operation}: stream ended because the caller cancelled")]
    public static partial void StreamCancelled(ILogger logger, string operation);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "{Operation}: Docker daemon at {Endpoint} is unavailable")]
    public static partial void DaemonUnavailable(ILogger logger, string operation, string endpoint, Exception exception);
}

using Microsoft.Extensions.Logging;

namespace Faas.Nats.Internal;

/// <summary>Every log line of the NATS client; event ids are stable (41xx).</summary>
internal static partial class NatsLog
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "NATS connection state {OldState} -> {NewState}")]
    public static partial void StateChanged(ILogger logger, NatsConnectionState oldState, NatsConnectionState newState);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Connected to {Server} (server {ServerId}, version {Version})")]
    public static partial void Connected(ILogger logger, string server, string? serverId, string? version);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Connect attempt {Attempt} to {Server} failed")]
    public static partial void ConnectAttemptFailed(ILogger logger, Exception error, int attempt, string server);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Debug, Message = "Reconnect attempt {Attempt} in {Delay}")]
    public static partial void ReconnectScheduled(ILogger logger, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "Connection to {Server} lost")]
    public static partial void Disconnected(ILogger logger, Exception? error, string server);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Warning, Message = "Server error: {Error}")]
    public static partial void ServerError(ILogger logger, string error);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Warning, Message = "Subscription {Subject} (sid {Sid}) is full; message dropped")]
    public static partial void MessageDropped(ILogger logger, string subject, int sid);

    [LoggerMessage(EventId = 4108, Level = LogLevel.Warning, Message = "Stale connection: {Outstanding} pings without a pong")]
    public static partial void StaleConnection(ILogger logger, int outstanding);

    [LoggerMessage(EventId = 4109, Level = LogLevel.Error, Message = "Connection closed for good")]
    public static partial void Terminated(ILogger logger, Exception? error);

    [LoggerMessage(EventId = 4110, Level = LogLevel.Debug, Message = "Reply on {Subject} matches no pending request")]
    public static partial void UnmatchedReply(ILogger logger, string subject);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Information, Message = "Server {Server} entered lame duck mode")]
    public static partial void LameDuck(ILogger logger, string server);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Debug, Message = "Pull request on {Subject} ended with status {Code} {Description}")]
    public static partial void PullEnded(ILogger logger, string subject, int code, string description);

    [LoggerMessage(EventId = 4113, Level = LogLevel.Error, Message = "A ConnectionStateChanged handler threw on {OldState} -> {NewState}")]
    public static partial void StateHandlerFailed(ILogger logger, Exception error, NatsConnectionState oldState, NatsConnectionState newState);
}

namespace Faas.Nats;

/// <summary>
/// Connection state machine:
/// Initial -> Connecting -> Open &lt;-> Reconnecting, and any state -> Closed (terminal).
/// A failed first connect returns to Initial so the caller may try again.
/// </summary>
public enum NatsConnectionState
{
    Initial,
    Connecting,
    Open,
    Reconnecting,
    Closed,
}

public sealed class NatsConnectionStateChangedEventArgs(NatsConnectionState oldState, NatsConnectionState newState, Exception? error)
    : EventArgs
{
    public NatsConnectionState OldState { get; } = oldState;

    public NatsConnectionState NewState { get; } = newState;

    /// <summary>Why the connection left Open or became Closed, when known.</summary>
    public Exception? Error { get; } = error;
}

namespace Faas.Nats.JetStream;

/// <summary>JetStream context options.</summary>
public sealed record NatsJSOpts
{
    /// <summary>API subject prefix; change it for a JetStream domain or an imported account.</summary>
    public string ApiPrefix { get; init; } = "$JS.API";

    /// <summary>Timeout of each API request; defaults to the connection's request timeout.</summary>
    public TimeSpan? RequestTimeout { get; init; }

    /// <summary>Default for <see cref="AckOpts.DoubleAck"/>: wait for the server to confirm each ack.</summary>
    public bool DoubleAck { get; init; }
}

/// <summary>Per-publish JetStream options, sent as <c>Nats-Msg-Id</c> and <c>Nats-Expected-*</c> headers.</summary>
public sealed record NatsJSPubOpts
{
    /// <summary>De-duplication id (<c>Nats-Msg-Id</c>).</summary>
    public string? MsgId { get; init; }

    /// <summary><c>Nats-Expected-Stream</c>: fail unless the subject is stored in this stream.</summary>
    public string? ExpectedStream { get; init; }

    /// <summary><c>Nats-Expected-Last-Msg-Id</c>.</summary>
    public string? ExpectedLastMsgId { get; init; }

    /// <summary><c>Nats-Expected-Last-Sequence</c>: the stream's last sequence must be this.</summary>
    public ulong? ExpectedLastSequence { get; init; }

    /// <summary><c>Nats-Expected-Last-Subject-Sequence</c>: the subject's last sequence must be this (0 = no message yet).</summary>
    public ulong? ExpectedLastSubjectSequence { get; init; }
}

/// <summary>One pull request.</summary>
public sealed record NatsJSFetchOpts
{
    /// <summary>Messages to fetch at most.</summary>
    public int MaxMsgs { get; init; } = 1;

    /// <summary>Bytes to fetch at most; 0 for no limit.</summary>
    public long MaxBytes { get; init; }

    /// <summary>How long the server holds the request open waiting for messages.</summary>
    public TimeSpan Expires { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Ask the server for heartbeats while the request waits; a missed pair ends the fetch early.</summary>
    public TimeSpan? IdleHeartbeat { get; init; }
}

/// <summary>Options of a continuous consume (a loop of pull requests).</summary>
public sealed record NatsJSConsumeOpts
{
    public int MaxMsgs { get; init; } = 100;

    public TimeSpan Expires { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan? IdleHeartbeat { get; init; }
}

/// <summary>Per-ack options.</summary>
public readonly record struct AckOpts(bool? DoubleAck = null);

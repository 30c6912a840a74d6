using System.Buffers;

namespace Faas.Nats.Protocol;

internal enum ServerOpKind
{
    Msg,
    Ping,
    Pong,
    Ok,
    Err,
    Info,
}

/// <summary>
/// One parsed server operation. For MSG/HMSG, <see cref="Headers"/> and <see cref="Payload"/> slice the
/// read buffer and are only valid until the reader advances past them.
/// </summary>
internal readonly struct ServerOp
{
    public ServerOpKind Kind { get; init; }

    public string Subject { get; init; }

    public int Sid { get; init; }

    public string? ReplyTo { get; init; }

    public bool HasHeaders { get; init; }

    public ReadOnlySequence<byte> Headers { get; init; }

    public ReadOnlySequence<byte> Payload { get; init; }

    /// <summary>Header plus payload bytes.</summary>
    public int Size { get; init; }

    /// <summary>The text after INFO (JSON) or -ERR (the quoted message, quotes removed).</summary>
    public string? Text { get; init; }
}

using System.Text.Json;
using Faas.Nats.JetStream.Models;

namespace Faas.Nats.JetStream;

/// <summary>A message delivered by a JetStream consumer, with its delivery metadata and ack verbs.</summary>
public readonly struct NatsJSMsg<T>
{
    private readonly NatsJSContext _context;

    internal NatsJSMsg(NatsMsg<T> msg, NatsJSContext context)
    {
        Msg = msg;
        _context = context;
        Metadata = NatsJSMsgMetadata.TryParse(msg.ReplyTo, out var metadata) ? metadata : null;
    }

    public NatsMsg<T> Msg { get; }

    public string Subject => Msg.Subject;

    public string? ReplyTo => Msg.ReplyTo;

    public int Size => Msg.Size;

    public NatsHeaders? Headers => Msg.Headers;

    public T? Data => Msg.Data;

    public NatsJSMsgMetadata? Metadata { get; }

    /// <summary>Acknowledges processing (<c>+ACK</c>).</summary>
    public ValueTask AckAsync(AckOpts? opts = null, CancellationToken cancellationToken = default) =>
        SendAsync("+ACK"u8.ToArray(), opts, cancellationToken);

    /// <summary>Asks for redelivery (<c>-NAK</c>), after <paramref name="delay"/> when it is positive.</summary>
    public ValueTask NakAsync(AckOpts? opts = null, TimeSpan delay = default, CancellationToken cancellationToken = default)
    {
        if (delay <= TimeSpan.Zero)
        {
            return SendAsync("-NAK"u8.ToArray(), opts, cancellationToken);
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(new NakDelay { Delay = delay }, JetStreamJsonContext.Default.NakDelay);
        return SendAsync([.. "-NAK "u8, .. json], opts, cancellationToken);
    }

    /// <summary>Still working (<c>+WPI</c>): restarts the ack-wait timer.</summary>
    public ValueTask AckProgressAsync(AckOpts? opts = null, CancellationToken cancellationToken = default) =>
        SendAsync("+WPI"u8.ToArray(), opts, cancellationToken);

    /// <summary>Never redeliver this message (<c>+TERM</c>).</summary>
    public ValueTask AckTerminateAsync(AckOpts? opts = null, CancellationToken cancellationToken = default) =>
        SendAsync("+TERM"u8.ToArray(), opts, cancellationToken);

    private async ValueTask SendAsync(byte[] payload, AckOpts? opts, CancellationToken cancellationToken)
    {
        if (ReplyTo is null || _context is null)
        {
            throw new InvalidOperationException($"message on '{Subject}' cannot be acknowledged: it has no JetStream reply subject");
        }

        if (opts?.DoubleAck ?? _context.Opts.DoubleAck)
        {
            var replyOpts = new NatsSubOpts { Timeout = _context.RequestTimeout };
            await _context.Connection.RequestAsync<byte[], byte[]>(ReplyTo, payload, replyOpts: replyOpts, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }
        else
        {
            await _context.Connection.PublishAsync(ReplyTo, payload, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}

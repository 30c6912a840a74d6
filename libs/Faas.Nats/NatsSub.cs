using System.Buffers;
using System.Threading.Channels;
using Faas.Nats.Internal;

namespace Faas.Nats;

/// <summary>A server-side interest (one sid) that the reader loop delivers into.</summary>
internal abstract class NatsSubBase(NatsConnection connection, string subject, string? queueGroup, int? maxMsgs)
{
    private int _delivered;

    public NatsConnection Connection { get; } = connection;

    public int Sid { get; } = connection.NextSid();

    public string Subject { get; } = subject;

    public string? QueueGroup { get; } = queueGroup;

    public int? MaxMsgs { get; } = maxMsgs;

    /// <summary>Messages still expected before the server auto-unsubscribes; null without a limit.</summary>
    public int? Remaining => MaxMsgs is { } max ? Math.Max(0, max - Volatile.Read(ref _delivered)) : null;

    /// <summary>Called on the reader loop; must not block.</summary>
    public void Deliver(string subject, string? replyTo, NatsHeaders? headers, in ReadOnlySequence<byte> payload, int size)
    {
        var delivered = Interlocked.Increment(ref _delivered);
        if (MaxMsgs is { } max && delivered > max)
        {
            return;
        }

        OnMessage(subject, replyTo, headers, payload, size);
        if (MaxMsgs is { } limit && delivered == limit)
        {
            Connection.RemoveSubscription(this);
            Complete(null);
        }
    }

    public abstract void Complete(Exception? error);

    protected abstract void OnMessage(string subject, string? replyTo, NatsHeaders? headers, in ReadOnlySequence<byte> payload, int size);
}

/// <summary>A subscription whose messages are read from <see cref="Msgs"/>. Dispose to unsubscribe.</summary>
public sealed class NatsSub<T> : IAsyncDisposable
{
    private readonly Impl _impl;

    internal NatsSub(NatsConnection connection, string subject, string? queueGroup, NatsSubOpts? opts)
    {
        _impl = new Impl(connection, subject, queueGroup, opts);
    }

    public string Subject => _impl.Subject;

    public string? QueueGroup => _impl.QueueGroup;

    /// <summary>Completes when unsubscribed, when MaxMsgs is reached, or when the connection closes (with its error).</summary>
    public ChannelReader<NatsMsg<T>> Msgs => _impl.Channel.Reader;

    internal NatsSubBase Base => _impl;

    public ValueTask UnsubscribeAsync(CancellationToken cancellationToken = default) =>
        _impl.Connection.UnsubscribeAsync(_impl, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await UnsubscribeAsync().ConfigureAwait(false);
        }
        catch (NatsConnectionClosedException)
        {
            // Nothing to unsubscribe from any more.
        }
    }

    private sealed class Impl(NatsConnection connection, string subject, string? queueGroup, NatsSubOpts? opts)
        : NatsSubBase(connection, subject, queueGroup, opts?.MaxMsgs)
    {
        public Channel<NatsMsg<T>> Channel { get; } = System.Threading.Channels.Channel.CreateBounded<NatsMsg<T>>(
            new BoundedChannelOptions(opts?.ChannelCapacity ?? connection.Opts.SubPendingChannelCapacity)
            {
                SingleWriter = true,
                FullMode = BoundedChannelFullMode.Wait,
            });

        public override void Complete(Exception? error) => Channel.Writer.TryComplete(error);

        protected override void OnMessage(string subject, string? replyTo, NatsHeaders? headers, in ReadOnlySequence<byte> payload, int size)
        {
            var msg = new NatsMsg<T>(subject, replyTo, size, headers, NatsPayload.Read<T>(payload), Connection);
            if (!Channel.Writer.TryWrite(msg))
            {
                NatsLog.MessageDropped(Connection.Logger, Subject, Sid);
            }
        }
    }
}

using System.Runtime.CompilerServices;
using Faas.Nats.Internal;
using Faas.Nats.Protocol;

namespace Faas.Nats;

public sealed partial class NatsConnection
{
    /// <summary>
    /// Subscribes and yields messages until the enumeration stops, <see cref="NatsSubOpts.MaxMsgs"/> is reached,
    /// or the connection closes. The subscription is removed when the enumeration ends.
    /// </summary>
    public async IAsyncEnumerable<NatsMsg<T>> SubscribeAsync<T>(
        string subject,
        string? queueGroup = null,
        NatsSubOpts? opts = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var sub = await SubscribeCoreAsync<T>(subject, queueGroup, opts, cancellationToken).ConfigureAwait(false);
        await foreach (var msg in sub.Msgs.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return msg;
        }
    }

    /// <summary>
    /// Subscribes and returns once the SUB is queued (ordered before anything this connection publishes next).
    /// Another connection's publishes are only guaranteed to match after a <see cref="PingAsync"/> on this one.
    /// </summary>
    public async ValueTask<NatsSub<T>> SubscribeCoreAsync<T>(
        string subject,
        string? queueGroup = null,
        NatsSubOpts? opts = null,
        CancellationToken cancellationToken = default)
    {
        NatsPayload.EnsureSupported<T>();
        ProtocolWriter.ValidateSubject(subject, nameof(subject));
        if (opts?.MaxMsgs is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(opts), opts.MaxMsgs, "MaxMsgs must be > 0");
        }

        await ConnectAsync(cancellationToken).ConfigureAwait(false);
        var sub = new NatsSub<T>(this, subject, queueGroup, opts);
        AddSubscription(sub.Base);
        return sub;
    }

    internal void AddSubscription(NatsSubBase sub)
    {
        ThrowIfClosed();
        _subscriptions[sub.Sid] = sub;
        try
        {
            EnqueueSubscribe(sub);
        }
        catch
        {
            _subscriptions.TryRemove(sub.Sid, out _);
            throw;
        }
    }

    internal async ValueTask UnsubscribeAsync(NatsSubBase sub, CancellationToken cancellationToken)
    {
        if (!_subscriptions.TryRemove(sub.Sid, out _))
        {
            sub.Complete(null);
            return;
        }

        sub.Complete(null);
        if (ConnectionState != NatsConnectionState.Closed)
        {
            await EnqueueAsync(ProtocolWriter.Unsubscribe(sub.Sid, null), isPublish: false, cancellationToken).ConfigureAwait(false);
        }
    }

    internal void RemoveSubscription(NatsSubBase sub) => _subscriptions.TryRemove(sub.Sid, out _);

    /// <summary>Reader loop: route a MSG/HMSG to its subscription.</summary>
    internal void DeliverMessage(in ServerOp op)
    {
        if (!_subscriptions.TryGetValue(op.Sid, out var sub))
        {
            return; // A late message for a subscription that is gone.
        }

        var headers = op.HasHeaders ? HeaderCodec.Parse(op.Headers) : null;
        sub.Deliver(op.Subject, op.ReplyTo, headers, op.Payload, op.Size);
    }

    private void EnqueueSubscribe(NatsSubBase sub)
    {
        Enqueue(ProtocolWriter.Subscribe(sub.Sid, sub.Subject, sub.QueueGroup), isPublish: false);
        if (sub.MaxMsgs is { } max)
        {
            Enqueue(ProtocolWriter.Unsubscribe(sub.Sid, max), isPublish: false);
        }
    }
}

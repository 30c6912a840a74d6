using System.Buffers;
using Faas.Nats.Internal;

namespace Faas.Nats;

public sealed partial class NatsConnection
{
    private readonly InboxMux _inboxMux;
    private readonly Lock _inboxLock = new();
    private bool _inboxSubscribed;

    /// <summary>A fresh unique subject under <see cref="NatsOpts.InboxPrefix"/>.</summary>
    public string NewInbox() => $"{Opts.InboxPrefix}.{Nuid.Next()}";

    /// <summary>
    /// Publishes a request and waits for the first reply. Throws <see cref="NatsNoRespondersException"/> when
    /// nobody listens and <see cref="NatsTimeoutException"/> after <see cref="NatsSubOpts.Timeout"/>
    /// (default <see cref="NatsOpts.RequestTimeout"/>).
    /// </summary>
    public async ValueTask<NatsMsg<TReply>> RequestAsync<TRequest, TReply>(
        string subject,
        TRequest? data,
        NatsHeaders? headers = null,
        NatsSubOpts? replyOpts = null,
        CancellationToken cancellationToken = default)
    {
        NatsPayload.EnsureSupported<TReply>();
        await ConnectAsync(cancellationToken).ConfigureAwait(false);
        EnsureInboxSubscribed();
        var (id, replyTo, reply) = _inboxMux.Register(subject);
        try
        {
            await PublishAsync(subject, data, headers, replyTo, cancellationToken).ConfigureAwait(false);
            var timeout = replyOpts?.Timeout ?? Opts.RequestTimeout;
            RawReply raw;
            try
            {
                raw = await reply.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new NatsTimeoutException($"request to '{subject}' got no reply within {timeout}");
            }

            var payload = NatsPayload.Read<TReply>(new ReadOnlySequence<byte>(raw.Data));
            return new NatsMsg<TReply>(raw.Subject, raw.ReplyTo, raw.Size, raw.Headers, payload, this);
        }
        finally
        {
            _inboxMux.Forget(id);
        }
    }

    private void EnsureInboxSubscribed()
    {
        // Under a lock so that no request is published before the inbox SUB is queued.
        lock (_inboxLock)
        {
            if (_inboxSubscribed)
            {
                return;
            }

            AddSubscription(_inboxMux);
            _inboxSubscribed = true;
        }
    }
}

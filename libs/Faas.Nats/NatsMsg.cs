namespace Faas.Nats;

/// <summary>A received message. <typeparamref name="T"/> is byte[], ReadOnlyMemory&lt;byte&gt;, Memory&lt;byte&gt; or string.</summary>
public readonly record struct NatsMsg<T>(
    string Subject,
    string? ReplyTo,
    int Size,
    NatsHeaders? Headers,
    T? Data,
    NatsConnection? Connection)
{
    /// <summary>True for the 503 status the server sends when a request had no responders.</summary>
    public bool HasNoResponders => Headers?.Code == 503;

    /// <summary>Publishes a reply to <see cref="ReplyTo"/>.</summary>
    public ValueTask ReplyAsync<TReply>(TReply? data, NatsHeaders? headers = null, CancellationToken cancellationToken = default)
    {
        if (ReplyTo is null)
        {
            throw new InvalidOperationException($"message on '{Subject}' has no reply subject");
        }

        if (Connection is null)
        {
            throw new InvalidOperationException("message is not bound to a connection");
        }

        return Connection.PublishAsync(ReplyTo, data, headers, cancellationToken: cancellationToken);
    }
}

/// <summary>Subscription options.</summary>
public sealed record NatsSubOpts
{
    /// <summary>Unsubscribe automatically after this many messages (sent to the server as <c>UNSUB sid max</c>).</summary>
    public int? MaxMsgs { get; init; }

    /// <summary>For requests: how long to wait for the reply; defaults to <see cref="NatsOpts.RequestTimeout"/>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Messages held for the reader; defaults to <see cref="NatsOpts.SubPendingChannelCapacity"/>.</summary>
    public int? ChannelCapacity { get; init; }
}

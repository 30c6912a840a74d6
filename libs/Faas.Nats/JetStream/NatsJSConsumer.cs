using System.Runtime.CompilerServices;
using System.Text.Json;
using Faas.Nats.Internal;
using Faas.Nats.JetStream.Models;

namespace Faas.Nats.JetStream;

/// <summary>A pull consumer: fetch batches, or consume continuously.</summary>
public sealed class NatsJSConsumer
{
    /// <summary>Client-side grace after a pull request's expiry before giving up on its 408.</summary>
    private static readonly TimeSpan ExpirySlack = TimeSpan.FromSeconds(1);

    private readonly NatsJSContext _context;

    internal NatsJSConsumer(NatsJSContext context, ConsumerInfo info)
    {
        _context = context;
        Info = info;
    }

    public ConsumerInfo Info { get; private set; }

    public string StreamName => Info.StreamName;

    public string Name => Info.Name;

    public async ValueTask RefreshAsync(CancellationToken cancellationToken = default) =>
        Info = await _context.GetConsumerInfoAsync(StreamName, Name, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// One pull request: yields up to <see cref="NatsJSFetchOpts.MaxMsgs"/> messages, ending early when the
    /// request expires (408), the server has nothing and was told not to wait (404), or ends the request (409).
    /// </summary>
    public IAsyncEnumerable<NatsJSMsg<T>> FetchAsync<T>(NatsJSFetchOpts opts, CancellationToken cancellationToken = default)
    {
        ValidateFetch(opts);
        return PullAsync<T>(opts.MaxMsgs, opts.MaxBytes, opts.Expires, opts.IdleHeartbeat, noWait: false, cancellationToken);
    }

    /// <summary>Like <see cref="FetchAsync{T}"/> but the server answers at once with what it has (404 when nothing).</summary>
    public IAsyncEnumerable<NatsJSMsg<T>> FetchNoWaitAsync<T>(NatsJSFetchOpts opts, CancellationToken cancellationToken = default)
    {
        ValidateFetch(opts);
        return PullAsync<T>(opts.MaxMsgs, opts.MaxBytes, opts.Expires, null, noWait: true, cancellationToken);
    }

    /// <summary>The next message, or null when none arrives before <paramref name="expires"/> (default 30s).</summary>
    public async ValueTask<NatsJSMsg<T>?> NextAsync<T>(TimeSpan? expires = null, CancellationToken cancellationToken = default)
    {
        await foreach (var msg in FetchAsync<T>(new NatsJSFetchOpts { MaxMsgs = 1, Expires = expires ?? TimeSpan.FromSeconds(30) }, cancellationToken)
            .ConfigureAwait(false))
        {
            return msg;
        }

        return null;
    }

    /// <summary>Yields messages until cancelled, issuing a new pull request whenever the previous one ends.</summary>
    public async IAsyncEnumerable<NatsJSMsg<T>> ConsumeAsync<T>(NatsJSConsumeOpts? opts = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        opts ??= new NatsJSConsumeOpts();
        ValidateFetch(new NatsJSFetchOpts { MaxMsgs = opts.MaxMsgs, Expires = opts.Expires, IdleHeartbeat = opts.IdleHeartbeat });
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await foreach (var msg in PullAsync<T>(opts.MaxMsgs, 0, opts.Expires, opts.IdleHeartbeat, noWait: false, cancellationToken).ConfigureAwait(false))
            {
                yield return msg;
            }
        }
    }

    /// <remarks>
    /// 1. Subscribe a fresh inbox. 2. Publish the pull request with the inbox as reply subject.
    /// 3. Read until the batch is full, a terminal status arrives, or the client deadline passes
    ///    (expiry plus slack; with heartbeats, two missed heartbeats). 4. Unsubscribe.
    /// </remarks>
    private async IAsyncEnumerable<NatsJSMsg<T>> PullAsync<T>(
        int maxMsgs,
        long maxBytes,
        TimeSpan expires,
        TimeSpan? heartbeat,
        bool noWait,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var connection = _context.Connection;

        // 1.
        await using var sub = await connection.SubscribeCoreAsync<T>(
                connection.NewInbox(), opts: new NatsSubOpts { ChannelCapacity = maxMsgs + 16 }, cancellationToken: cancellationToken)
            .ConfigureAwait(false);

        // 2.
        var request = new PullRequest
        {
            Batch = maxMsgs,
            MaxBytes = maxBytes,
            Expires = noWait ? TimeSpan.Zero : expires,
            NoWait = noWait,
            IdleHeartbeat = heartbeat ?? TimeSpan.Zero,
        };
        var body = JsonSerializer.SerializeToUtf8Bytes(request, JetStreamJsonContext.Default.PullRequest);
        var pullSubject = $"{_context.Opts.ApiPrefix}.CONSUMER.MSG.NEXT.{StreamName}.{Name}";
        await connection.PublishAsync(pullSubject, body, replyTo: sub.Subject, cancellationToken: cancellationToken).ConfigureAwait(false);

        // 3.
        var overall = noWait ? _context.RequestTimeout : expires + ExpirySlack;
        var deadlineAt = DateTimeOffset.UtcNow + overall;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(NextDeadline(deadlineAt, heartbeat));
        var received = 0;
        while (received < maxMsgs)
        {
            var (ok, msg) = await ReadAsync(sub, deadline.Token, cancellationToken).ConfigureAwait(false);
            if (!ok)
            {
                yield break;
            }

            if (heartbeat is not null)
            {
                deadline.CancelAfter(NextDeadline(deadlineAt, heartbeat));
            }

            if (msg.Headers is { Code: > 0 } status)
            {
                if (status.Code == 100)
                {
                    continue; // Idle heartbeat.
                }

                NatsLog.PullEnded(connection.Logger, pullSubject, status.Code, status.MessageText);
                if (status.Code is 404 or 408 || (status.Code == 409 && !IsConsumerGone(status.MessageText)))
                {
                    yield break;
                }

                throw new NatsJSApiException(new ApiError { Code = status.Code, Description = status.MessageText });
            }

            received++;
            yield return new NatsJSMsg<T>(msg, _context);
        }

        // 4. (await using)
    }

    private static async ValueTask<(bool Ok, NatsMsg<T> Msg)> ReadAsync<T>(NatsSub<T> sub, CancellationToken deadline, CancellationToken cancellationToken)
    {
        try
        {
            if (await sub.Msgs.WaitToReadAsync(deadline).ConfigureAwait(false) && sub.Msgs.TryRead(out var msg))
            {
                return (true, msg);
            }

            return (false, default);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, default);
        }
    }

    private static TimeSpan NextDeadline(DateTimeOffset deadlineAt, TimeSpan? heartbeat)
    {
        var remaining = deadlineAt - DateTimeOffset.UtcNow;
        if (heartbeat is { } beat && beat * 2 < remaining)
        {
            remaining = beat * 2;
        }

        return remaining > TimeSpan.Zero ? remaining : TimeSpan.FromMilliseconds(1);
    }

    private static bool IsConsumerGone(string description) =>
        description.Contains("Consumer Deleted", StringComparison.OrdinalIgnoreCase) ||
        description.Contains("Consumer is push based", StringComparison.OrdinalIgnoreCase);

    private static void ValidateFetch(NatsJSFetchOpts opts)
    {
        ArgumentNullException.ThrowIfNull(opts);
        var errors = new List<string>();
        if (opts.MaxMsgs < 1)
        {
            errors.Add($"MaxMsgs: {opts.MaxMsgs} must be >= 1");
        }

        if (opts.MaxBytes < 0)
        {
            errors.Add($"MaxBytes: {opts.MaxBytes} must be >= 0");
        }

        if (opts.Expires < TimeSpan.FromMilliseconds(1))
        {
            errors.Add($"Expires: {opts.Expires} must be >= 1ms");
        }

        if (opts.IdleHeartbeat is { } beat && (beat <= TimeSpan.Zero || beat > opts.Expires / 2))
        {
            errors.Add($"IdleHeartbeat: {beat} must be > 0 and <= half of Expires ({opts.Expires})");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid fetch options: " + string.Join("; ", errors), nameof(opts));
        }
    }
}

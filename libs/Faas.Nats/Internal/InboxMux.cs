using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;

namespace Faas.Nats.Internal;

/// <summary>A reply as received, before it is deserialized for the caller.</summary>
internal sealed record RawReply(string Subject, string? ReplyTo, int Size, NatsHeaders? Headers, byte[] Data);

/// <summary>
/// One wildcard subscription, <c>&lt;prefix&gt;.&lt;nuid&gt;.*</c>, shared by every request; the last token
/// of the reply subject finds the waiting request.
/// </summary>
internal sealed class InboxMux : NatsSubBase
{
    private readonly ConcurrentDictionary<long, (string Subject, TaskCompletionSource<RawReply> Completion)> _pending = new();
    private long _nextId;

    public InboxMux(NatsConnection connection)
        : this(connection, $"{connection.Opts.InboxPrefix}.{Nuid.Next()}.")
    {
    }

    private InboxMux(NatsConnection connection, string prefix)
        : base(connection, prefix + "*", null, null)
    {
        Prefix = prefix;
    }

    public string Prefix { get; }

    public (long Id, string ReplyTo, Task<RawReply> Reply) Register(string requestSubject)
    {
        var id = Interlocked.Increment(ref _nextId);
        var completion = new TaskCompletionSource<RawReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = (requestSubject, completion);
        return (id, Prefix + id.ToString(CultureInfo.InvariantCulture), completion.Task);
    }

    public void Forget(long id) => _pending.TryRemove(id, out _);

    public void FailAll(Exception error)
    {
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var entry))
            {
                entry.Completion.TrySetException(error);
            }
        }
    }

    public override void Complete(Exception? error)
    {
        // The mux lives as long as the connection; FailAll handles its end.
    }

    protected override void OnMessage(string subject, string? replyTo, NatsHeaders? headers, in ReadOnlySequence<byte> payload, int size)
    {
        if (!subject.StartsWith(Prefix, StringComparison.Ordinal) ||
            !long.TryParse(subject.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ||
            !_pending.TryRemove(id, out var entry))
        {
            NatsLog.UnmatchedReply(Connection.Logger, subject);
            return;
        }

        if (headers?.Code == 503)
        {
            entry.Completion.TrySetException(new NatsNoRespondersException(entry.Subject));
            return;
        }

        entry.Completion.TrySetResult(new RawReply(subject, replyTo, size, headers, payload.ToArray()));
    }
}

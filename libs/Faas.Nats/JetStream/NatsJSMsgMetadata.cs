using System.Globalization;

namespace Faas.Nats.JetStream;

public readonly record struct NatsJSSequencePair(ulong Stream, ulong Consumer);

/// <summary>Delivery facts carried in a JetStream message's ack subject.</summary>
public readonly record struct NatsJSMsgMetadata(
    NatsJSSequencePair Sequence,
    ulong NumDelivered,
    ulong NumPending,
    DateTimeOffset Timestamp,
    string Stream,
    string Consumer,
    string Domain)
{
    /// <summary>
    /// Parses <c>$JS.ACK.&lt;stream&gt;.&lt;consumer&gt;.&lt;delivered&gt;.&lt;sseq&gt;.&lt;cseq&gt;.&lt;ts&gt;.&lt;pending&gt;</c>
    /// or the newer <c>$JS.ACK.&lt;domain&gt;.&lt;account hash&gt;.&lt;stream&gt;...&lt;pending&gt;[.&lt;token&gt;]</c>.
    /// </summary>
    public static bool TryParse(string? replyTo, out NatsJSMsgMetadata metadata)
    {
        metadata = default;
        if (replyTo is null || !replyTo.StartsWith("$JS.ACK.", StringComparison.Ordinal))
        {
            return false;
        }

        var tokens = replyTo.Split('.');
        int offset;
        var domain = string.Empty;
        if (tokens.Length == 9)
        {
            offset = 2;
        }
        else if (tokens.Length >= 11)
        {
            domain = tokens[2] == "_" ? string.Empty : tokens[2];
            offset = 4;
        }
        else
        {
            return false;
        }

        if (!TryULong(tokens[offset + 2], out var delivered) ||
            !TryULong(tokens[offset + 3], out var streamSeq) ||
            !TryULong(tokens[offset + 4], out var consumerSeq) ||
            !long.TryParse(tokens[offset + 5], NumberStyles.None, CultureInfo.InvariantCulture, out var nanos) ||
            !TryULong(tokens[offset + 6], out var pending))
        {
            return false;
        }

        var timestamp = DateTimeOffset.UnixEpoch.AddTicks(nanos / 100);
        metadata = new NatsJSMsgMetadata(
            new NatsJSSequencePair(streamSeq, consumerSeq), delivered, pending, timestamp, tokens[offset], tokens[offset + 1], domain);
        return true;
    }

    private static bool TryULong(string text, out ulong value) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}

using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Faas.Nats.Protocol;

/// <summary>
/// Incremental parser of the server-to-client protocol. It never consumes a partial operation:
/// when a frame is split across reads it returns false and leaves <c>buffer</c> untouched, so the
/// caller advances the pipe to <c>buffer.Start</c> and examines to the end.
/// </summary>
internal static class ProtocolParser
{
    /// <summary>Longest control line accepted (a MSG line with long subjects, or a large INFO).</summary>
    public const int MaxControlLine = 64 * 1024;

    private const int MaxTokens = 6;

    public static bool TryParse(ref ReadOnlySequence<byte> buffer, out ServerOp op)
    {
        op = default;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> lineSequence, (byte)'\n'))
        {
            if (buffer.Length > MaxControlLine)
            {
                throw new NatsProtocolException($"control line longer than {MaxControlLine} bytes");
            }

            return false;
        }

        if (lineSequence.Length > MaxControlLine)
        {
            throw new NatsProtocolException($"control line longer than {MaxControlLine} bytes");
        }

        Span<byte> scratch = lineSequence.IsSingleSegment ? default : new byte[lineSequence.Length];
        ReadOnlySpan<byte> line;
        if (lineSequence.IsSingleSegment)
        {
            line = lineSequence.FirstSpan;
        }
        else
        {
            lineSequence.CopyTo(scratch);
            line = scratch;
        }

        if (line.Length > 0 && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        if (StartsWithWord(line, "MSG"u8))
        {
            if (!TryParseMsg(line[3..], hasHeaders: false, ref reader, out op))
            {
                return false;
            }
        }
        else if (StartsWithWord(line, "HMSG"u8))
        {
            if (!TryParseMsg(line[4..], hasHeaders: true, ref reader, out op))
            {
                return false;
            }
        }
        else if (Matches(line, "PING"u8))
        {
            op = new ServerOp { Kind = ServerOpKind.Ping };
        }
        else if (Matches(line, "PONG"u8))
        {
            op = new ServerOp { Kind = ServerOpKind.Pong };
        }
        else if (Matches(line, "+OK"u8))
        {
            op = new ServerOp { Kind = ServerOpKind.Ok };
        }
        else if (StartsWithWord(line, "-ERR"u8))
        {
            var text = Encoding.UTF8.GetString(line[4..]).Trim().Trim('\'');
            op = new ServerOp { Kind = ServerOpKind.Err, Text = text };
        }
        else if (StartsWithWord(line, "INFO"u8))
        {
            op = new ServerOp { Kind = ServerOpKind.Info, Text = Encoding.UTF8.GetString(line[4..]).Trim() };
        }
        else
        {
            var shown = Encoding.UTF8.GetString(line[..Math.Min(line.Length, 64)]);
            throw new NatsProtocolException($"unknown protocol operation '{shown}'");
        }

        buffer = buffer.Slice(reader.Position);
        return true;
    }

    // MSG <subject> <sid> [reply-to] <#bytes>
    // HMSG <subject> <sid> [reply-to] <#header bytes> <#total bytes>
    private static bool TryParseMsg(ReadOnlySpan<byte> args, bool hasHeaders, ref SequenceReader<byte> reader, out ServerOp op)
    {
        op = default;
        Span<Range> tokens = stackalloc Range[MaxTokens];
        var count = Tokenize(args, tokens);
        var expected = hasHeaders ? 4 : 3;
        if (count != expected && count != expected + 1)
        {
            throw new NatsProtocolException($"malformed {(hasHeaders ? "HMSG" : "MSG")} arguments '{Encoding.UTF8.GetString(args)}'");
        }

        var hasReply = count == expected + 1;
        var sid = ParseInt(args[tokens[1]]);
        int headerSize;
        int totalSize;
        if (hasHeaders)
        {
            headerSize = ParseInt(args[tokens[count - 2]]);
            totalSize = ParseInt(args[tokens[count - 1]]);
            if (headerSize > totalSize)
            {
                throw new NatsProtocolException($"HMSG header size {headerSize} exceeds total size {totalSize}");
            }
        }
        else
        {
            headerSize = 0;
            totalSize = ParseInt(args[tokens[count - 1]]);
        }

        if (reader.Remaining < totalSize + 2)
        {
            return false;
        }

        var body = reader.UnreadSequence.Slice(0, totalSize);
        reader.Advance(totalSize);
        if (!reader.IsNext("\r\n"u8, advancePast: true))
        {
            throw new NatsProtocolException("message payload is not followed by CRLF");
        }

        op = new ServerOp
        {
            Kind = ServerOpKind.Msg,
            Subject = Encoding.UTF8.GetString(args[tokens[0]]),
            Sid = sid,
            ReplyTo = hasReply ? Encoding.UTF8.GetString(args[tokens[2]]) : null,
            HasHeaders = hasHeaders,
            Headers = body.Slice(0, headerSize),
            Payload = body.Slice(headerSize),
            Size = totalSize,
        };
        return true;
    }

    private static int Tokenize(ReadOnlySpan<byte> args, Span<Range> tokens)
    {
        var count = 0;
        var i = 0;
        while (i < args.Length)
        {
            while (i < args.Length && (args[i] == (byte)' ' || args[i] == (byte)'\t'))
            {
                i++;
            }

            if (i == args.Length)
            {
                break;
            }

            var start = i;
            while (i < args.Length && args[i] != (byte)' ' && args[i] != (byte)'\t')
            {
                i++;
            }

            if (count == tokens.Length)
            {
                return count + 1;
            }

            tokens[count++] = new Range(start, i);
        }

        return count;
    }

    private static int ParseInt(ReadOnlySpan<byte> text)
    {
        if (!Utf8Parser.TryParse(text, out int value, out var consumed) || consumed != text.Length || value < 0)
        {
            throw new NatsProtocolException($"'{Encoding.UTF8.GetString(text)}' is not a valid size or sid");
        }

        return value;
    }

    private static bool Matches(ReadOnlySpan<byte> line, ReadOnlySpan<byte> word) =>
        line.TrimEnd((byte)' ').Length == word.Length && StartsWithIgnoreCase(line, word);

    private static bool StartsWithWord(ReadOnlySpan<byte> line, ReadOnlySpan<byte> word) =>
        line.Length > word.Length && (line[word.Length] == (byte)' ' || line[word.Length] == (byte)'\t') && StartsWithIgnoreCase(line, word);

    private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> line, ReadOnlySpan<byte> word)
    {
        if (line.Length < word.Length)
        {
            return false;
        }

        for (var i = 0; i < word.Length; i++)
        {
            if ((line[i] | 0x20) != (word[i] | 0x20))
            {
                return false;
            }
        }

        return true;
    }
}

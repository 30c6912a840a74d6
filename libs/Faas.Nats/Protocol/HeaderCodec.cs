using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Faas.Nats.Protocol;

/// <summary>Reads and writes the <c>NATS/1.0[ code[ text]]\r\nKey: Value\r\n...\r\n</c> header block.</summary>
internal static class HeaderCodec
{
    private static ReadOnlySpan<byte> Version => "NATS/1.0"u8;

    public static NatsHeaders Parse(in ReadOnlySequence<byte> block)
    {
        if (block.IsSingleSegment)
        {
            return Parse(block.FirstSpan);
        }

        var copy = ArrayPool<byte>.Shared.Rent((int)block.Length);
        try
        {
            block.CopyTo(copy);
            return Parse(copy.AsSpan(0, (int)block.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    public static NatsHeaders Parse(ReadOnlySpan<byte> block)
    {
        var end = block.IndexOf("\r\n"u8);
        var statusLine = end < 0 ? block : block[..end];
        if (!statusLine.StartsWith(Version))
        {
            throw new NatsProtocolException($"header block does not start with NATS/1.0: '{Encoding.UTF8.GetString(statusLine)}'");
        }

        var headers = new NatsHeaders();
        var status = statusLine[Version.Length..].Trim((byte)' ');
        if (status.Length >= 3)
        {
            if (!Utf8Parser.TryParse(status[..3], out int code, out var consumed) || consumed != 3)
            {
                throw new NatsProtocolException($"invalid header status '{Encoding.UTF8.GetString(status)}'");
            }

            headers.Code = code;
            headers.MessageText = Encoding.UTF8.GetString(status[3..].Trim((byte)' '));
        }

        var rest = end < 0 ? ReadOnlySpan<byte>.Empty : block[(end + 2)..];
        while (rest.Length > 0)
        {
            var lineEnd = rest.IndexOf("\r\n"u8);
            var line = lineEnd < 0 ? rest : rest[..lineEnd];
            rest = lineEnd < 0 ? ReadOnlySpan<byte>.Empty : rest[(lineEnd + 2)..];
            if (line.IsEmpty)
            {
                continue;
            }

            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                throw new NatsProtocolException($"malformed header line '{Encoding.UTF8.GetString(line)}'");
            }

            var key = Encoding.UTF8.GetString(line[..colon].Trim((byte)' '));
            var value = Encoding.UTF8.GetString(line[(colon + 1)..].Trim((byte)' '));
            headers.Append(key, value);
        }

        return headers;
    }

    /// <summary>Exact encoded length of <paramref name="headers"/>, validating keys and values.</summary>
    public static int GetLength(NatsHeaders headers)
    {
        var length = Version.Length + 2 + 2;
        foreach (var (key, values) in headers)
        {
            ValidateKey(key);
            foreach (var value in values)
            {
                ValidateValue(key, value);
                length += Encoding.UTF8.GetByteCount(key) + 2 + Encoding.UTF8.GetByteCount(value ?? string.Empty) + 2;
            }
        }

        return length;
    }

    public static int Write(NatsHeaders headers, Span<byte> destination)
    {
        var written = 0;
        Version.CopyTo(destination);
        written += Version.Length;
        written += WriteCrLf(destination[written..]);
        foreach (var (key, values) in headers)
        {
            foreach (var value in values)
            {
                written += Encoding.UTF8.GetBytes(key, destination[written..]);
                destination[written++] = (byte)':';
                destination[written++] = (byte)' ';
                written += Encoding.UTF8.GetBytes(value ?? string.Empty, destination[written..]);
                written += WriteCrLf(destination[written..]);
            }
        }

        written += WriteCrLf(destination[written..]);
        return written;
    }

    private static int WriteCrLf(Span<byte> destination)
    {
        destination[0] = (byte)'\r';
        destination[1] = (byte)'\n';
        return 2;
    }

    private static void ValidateKey(string key)
    {
        if (key.Length == 0 || key.AsSpan().IndexOfAny(":\r\n ") >= 0)
        {
            throw new ArgumentException($"header key '{key}' must be non-empty and contain no ':', spaces or line breaks");
        }
    }

    private static void ValidateValue(string key, string? value)
    {
        if (value is not null && value.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException($"header '{key}' value must not contain line breaks");
        }
    }
}

using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Faas.Nats.Internal;

namespace Faas.Nats.Protocol;

/// <summary>A PING whose PONG somebody waits for (or a keep-alive ping when <see cref="Completion"/> is null).</summary>
internal sealed class PingEntry(TaskCompletionSource<TimeSpan>? completion)
{
    public TaskCompletionSource<TimeSpan>? Completion { get; } = completion;

    public long SentAt { get; set; }

    public void OnPong() => Completion?.TrySetResult(Stopwatch.GetElapsedTime(SentAt));
}

/// <summary>A formatted command in a pooled buffer; the writer loop copies it to the socket and returns the buffer.</summary>
internal readonly struct OutboundCommand(byte[] buffer, int length, PingEntry? ping = null)
{
    public byte[] Buffer { get; } = buffer;

    public int Length { get; } = length;

    public PingEntry? Ping { get; } = ping;

    public ReadOnlySpan<byte> Span => Buffer.AsSpan(0, Length);

    public void Release() => ArrayPool<byte>.Shared.Return(Buffer);
}

/// <summary>Formats client commands: PUB/HPUB, SUB, UNSUB, PING, PONG, CONNECT.</summary>
internal static class ProtocolWriter
{
    private const int MaxIntLength = 11;

    /// <summary>Formats PUB or HPUB and returns the command plus its payload size (headers + data).</summary>
    public static OutboundCommand Publish<T>(string subject, string? replyTo, NatsHeaders? headers, T? data, long maxPayload, out int size)
    {
        ValidateSubject(subject, nameof(subject));
        if (replyTo is not null)
        {
            ValidateSubject(replyTo, nameof(replyTo));
        }

        var headerLength = headers is null ? 0 : HeaderCodec.GetLength(headers);
        var dataLength = NatsPayload.GetLength(data);
        size = headerLength + dataLength;
        if (maxPayload > 0 && size > maxPayload)
        {
            throw new NatsPayloadTooLargeException(size, maxPayload);
        }

        var capacity = 5 + Encoding.UTF8.GetMaxByteCount(subject.Length) + 1 +
            (replyTo is null ? 0 : Encoding.UTF8.GetMaxByteCount(replyTo.Length) + 1) +
            (2 * MaxIntLength) + 2 + size + 2;
        var buffer = ArrayPool<byte>.Shared.Rent(capacity);
        var span = buffer.AsSpan();
        var pos = 0;
        pos += Ascii(headers is null ? "PUB " : "HPUB ", span[pos..]);
        pos += Encoding.UTF8.GetBytes(subject, span[pos..]);
        span[pos++] = (byte)' ';
        if (replyTo is not null)
        {
            pos += Encoding.UTF8.GetBytes(replyTo, span[pos..]);
            span[pos++] = (byte)' ';
        }

        if (headers is not null)
        {
            pos += Int(headerLength, span[pos..]);
            span[pos++] = (byte)' ';
        }

        pos += Int(size, span[pos..]);
        pos += CrLf(span[pos..]);
        if (headers is not null)
        {
            pos += HeaderCodec.Write(headers, span[pos..]);
        }

        pos += NatsPayload.Write(data, span[pos..]);
        pos += CrLf(span[pos..]);
        return new OutboundCommand(buffer, pos);
    }

    public static OutboundCommand Subscribe(int sid, string subject, string? queueGroup)
    {
        ValidateSubject(subject, nameof(subject));
        if (queueGroup is not null)
        {
            ValidateSubject(queueGroup, nameof(queueGroup));
        }

        var buffer = ArrayPool<byte>.Shared.Rent(4 + Encoding.UTF8.GetMaxByteCount(subject.Length + (queueGroup?.Length ?? 0)) + 2 + MaxIntLength + 2);
        var span = buffer.AsSpan();
        var pos = Ascii("SUB ", span);
        pos += Encoding.UTF8.GetBytes(subject, span[pos..]);
        span[pos++] = (byte)' ';
        if (queueGroup is not null)
        {
            pos += Encoding.UTF8.GetBytes(queueGroup, span[pos..]);
            span[pos++] = (byte)' ';
        }

        pos += Int(sid, span[pos..]);
        pos += CrLf(span[pos..]);
        return new OutboundCommand(buffer, pos);
    }

    public static OutboundCommand Unsubscribe(int sid, int? maxMsgs)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(6 + (2 * MaxIntLength) + 3);
        var span = buffer.AsSpan();
        var pos = Ascii("UNSUB ", span);
        pos += Int(sid, span[pos..]);
        if (maxMsgs is { } max)
        {
            span[pos++] = (byte)' ';
            pos += Int(max, span[pos..]);
        }

        pos += CrLf(span[pos..]);
        return new OutboundCommand(buffer, pos);
    }

    public static OutboundCommand Ping(PingEntry entry) => Fixed("PING\r\n"u8, entry);

    public static OutboundCommand Pong() => Fixed("PONG\r\n"u8, null);

    public static byte[] Connect(ConnectOptions options)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(options, ProtocolJsonContext.Default.ConnectOptions);
        return [.. "CONNECT "u8, .. json, .. "\r\n"u8];
    }

    public static void ValidateSubject(string subject, string parameter)
    {
        if (string.IsNullOrEmpty(subject) || subject.AsSpan().IndexOfAny(" \t\r\n") >= 0)
        {
            throw new ArgumentException($"'{subject}' is not a valid subject: it must be non-empty and contain no whitespace", parameter);
        }
    }

    private static OutboundCommand Fixed(ReadOnlySpan<byte> text, PingEntry? entry)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(text.Length);
        text.CopyTo(buffer);
        return new OutboundCommand(buffer, text.Length, entry);
    }

    private static int Ascii(string text, Span<byte> destination) => Encoding.ASCII.GetBytes(text, destination);

    private static int Int(long value, Span<byte> destination)
    {
        value.TryFormat(destination, out var written, provider: System.Globalization.CultureInfo.InvariantCulture);
        return written;
    }

    private static int CrLf(Span<byte> destination)
    {
        destination[0] = (byte)'\r';
        destination[1] = (byte)'\n';
        return 2;
    }
}

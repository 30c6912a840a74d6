using System.Buffers;
using System.Text;

namespace Faas.Nats.Internal;

/// <summary>
/// The payload types this thin client understands: byte[], ReadOnlyMemory&lt;byte&gt;, Memory&lt;byte&gt; and string (UTF-8).
/// The real NATS.Client.Core has pluggable serializers; these are the ones of its raw default.
/// </summary>
internal static class NatsPayload
{
    public static int GetLength<T>(T? value) => value switch
    {
        null => 0,
        byte[] bytes => bytes.Length,
        ReadOnlyMemory<byte> memory => memory.Length,
        Memory<byte> memory => memory.Length,
        string text => Encoding.UTF8.GetByteCount(text),
        _ => throw Unsupported(typeof(T)),
    };

    /// <summary>Writes <paramref name="value"/> into <paramref name="destination"/>, which is at least <see cref="GetLength{T}"/> long.</summary>
    public static int Write<T>(T? value, Span<byte> destination)
    {
        switch (value)
        {
            case null:
                return 0;
            case byte[] bytes:
                bytes.CopyTo(destination);
                return bytes.Length;
            case ReadOnlyMemory<byte> memory:
                memory.Span.CopyTo(destination);
                return memory.Length;
            case Memory<byte> memory:
                memory.Span.CopyTo(destination);
                return memory.Length;
            case string text:
                return Encoding.UTF8.GetBytes(text, destination);
            default:
                throw Unsupported(typeof(T));
        }
    }

    public static T? Read<T>(in ReadOnlySequence<byte> payload)
    {
        if (typeof(T) == typeof(byte[]))
        {
            return (T)(object)payload.ToArray();
        }

        if (typeof(T) == typeof(ReadOnlyMemory<byte>))
        {
            return (T)(object)new ReadOnlyMemory<byte>(payload.ToArray());
        }

        if (typeof(T) == typeof(Memory<byte>))
        {
            return (T)(object)new Memory<byte>(payload.ToArray());
        }

        if (typeof(T) == typeof(string))
        {
            return (T)(object)Encoding.UTF8.GetString(payload);
        }

        throw Unsupported(typeof(T));
    }

    public static void EnsureSupported<T>()
    {
        if (typeof(T) != typeof(byte[]) && typeof(T) != typeof(ReadOnlyMemory<byte>) &&
            typeof(T) != typeof(Memory<byte>) && typeof(T) != typeof(string))
        {
            throw Unsupported(typeof(T));
        }
    }

    private static NotSupportedException Unsupported(Type type) =>
        new($"payload type {type} is not supported; use byte[], ReadOnlyMemory<byte>, Memory<byte> or string");
}

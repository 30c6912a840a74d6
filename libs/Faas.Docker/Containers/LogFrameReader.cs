using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Faas.Docker;

/// <summary>
/// Splits a container's log stream into lines. Without a TTY the daemon multiplexes stdout and
/// stderr in frames: an 8-byte header (stream type, three zero bytes, big-endian uint32 payload
/// size) then the payload. With a TTY the stream is raw stdout. Frames and lines need not align,
/// so each stream keeps its own partial line until its newline arrives.
/// </summary>
internal sealed class LogFrameReader : IDisposable
{
    private const int HeaderSize = 8;
    private const int RawChunkSize = 16 * 1024;

    private readonly Stream _stream;
    private readonly bool _multiplexed;
    private readonly bool _timestamps;
    private readonly LineBuffer _stdout = new();
    private readonly LineBuffer _stderr = new();
    private readonly Queue<LogLine> _ready = new();
    private readonly byte[] _header = new byte[HeaderSize];
    private byte[] _payload = new byte[4096];
    private bool _ended;

    public LogFrameReader(Stream stream, bool multiplexed, bool timestamps)
    {
        _stream = stream;
        _multiplexed = multiplexed;
        _timestamps = timestamps;
    }

    /// <summary>The next complete line, or null at the end of the stream.</summary>
    public async ValueTask<LogLine?> ReadAsync(CancellationToken cancellationToken)
    {
        while (_ready.Count == 0 && !_ended)
        {
            if (_multiplexed)
            {
                await ReadFrameAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ReadRawAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return _ready.TryDequeue(out var line) ? line : null;
    }

    public void Dispose() => _stream.Dispose();

    private async ValueTask ReadFrameAsync(CancellationToken cancellationToken)
    {
        var read = await _stream.ReadAtLeastAsync(_header, HeaderSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read < HeaderSize)
        {
            End();
            return;
        }

        var size = BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(4));
        if (size > int.MaxValue / 2)
        {
            throw new InvalidDataException($"A log frame claims {size} bytes; the stream is not multiplexed as expected.");
        }

        if (_payload.Length < size)
        {
            _payload = new byte[Math.Max((int)size, _payload.Length * 2)];
        }

        read = await _stream.ReadAtLeastAsync(_payload.AsMemory(0, (int)size), (int)size, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);

        // Type 2 is stderr; 0 (stdin echoed) and 1 are stdout; 3 (systemerr) carries daemon errors, shown as stderr.
        var (buffer, logStream) = _header[0] is 2 or 3 ? (_stderr, LogStream.Stderr) : (_stdout, LogStream.Stdout);
        buffer.Append(_payload.AsSpan(0, read));
        Drain(buffer, logStream);
        if (read < size)
        {
            End();
        }
    }

    private async ValueTask ReadRawAsync(CancellationToken cancellationToken)
    {
        if (_payload.Length < RawChunkSize)
        {
            _payload = new byte[RawChunkSize];
        }

        var read = await _stream.ReadAsync(_payload, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            End();
            return;
        }

        _stdout.Append(_payload.AsSpan(0, read));
        Drain(_stdout, LogStream.Stdout);
    }

    private void Drain(LineBuffer buffer, LogStream stream)
    {
        while (buffer.TryTakeLine(out var line))
        {
            _ready.Enqueue(ToLogLine(stream, line));
        }
    }

    private void End()
    {
        _ended = true;
        if (_stdout.TryTakeRest(out var rest))
        {
            _ready.Enqueue(ToLogLine(LogStream.Stdout, rest));
        }

        if (_stderr.TryTakeRest(out rest))
        {
            _ready.Enqueue(ToLogLine(LogStream.Stderr, rest));
        }
    }

    private LogLine ToLogLine(LogStream stream, string line)
    {
        line = line.TrimEnd('\r');
        if (_timestamps)
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && TryParseTimestamp(line.AsSpan(0, space), out var timestamp))
            {
                return new LogLine(stream, timestamp, line[(space + 1)..]);
            }
        }

        return new LogLine(stream, null, line);
    }

    /// <summary>Parses RFC 3339 with up to nine fraction digits (.NET keeps seven).</summary>
    internal static bool TryParseTimestamp(ReadOnlySpan<char> text, out DateTimeOffset timestamp)
    {
        var dot = text.IndexOf('.');
        if (dot >= 0)
        {
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            var keep = Math.Min(end - dot - 1, 7);
            text = string.Concat(text[..(keep > 0 ? dot + 1 + keep : dot)], text[end..]);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out timestamp);
    }

    /// <summary>Bytes of one stream not yet ending in a newline.</summary>
    private sealed class LineBuffer
    {
        private byte[] _bytes = new byte[256];
        private int _start;
        private int _count;

        public void Append(ReadOnlySpan<byte> data)
        {
            if (_start + _count + data.Length > _bytes.Length)
            {
                var needed = _count + data.Length;
                var target = needed > _bytes.Length ? new byte[Math.Max(needed, _bytes.Length * 2)] : _bytes;
                Buffer.BlockCopy(_bytes, _start, target, 0, _count);
                _bytes = target;
                _start = 0;
            }

            data.CopyTo(_bytes.AsSpan(_start + _count));
            _count += data.Length;
        }

        public bool TryTakeLine(out string line)
        {
            var newline = _bytes.AsSpan(_start, _count).IndexOf((byte)'\n');
            if (newline < 0)
            {
                line = string.Empty;
                return false;
            }

            line = Encoding.UTF8.GetString(_bytes, _start, newline);
            _start += newline + 1;
            _count -= newline + 1;
            if (_count == 0)
            {
                _start = 0;
            }

            return true;
        }

        public bool TryTakeRest(out string rest)
        {
            if (_count == 0)
            {
                rest = string.Empty;
                return false;
            }

            rest = Encoding.UTF8.GetString(_bytes, _start, _count);
            _start = 0;
            _count = 0;
            return true;
        }
    }
}

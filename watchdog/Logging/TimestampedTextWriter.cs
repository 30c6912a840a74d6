using System.Globalization;
using System.Text;

namespace Faas.Watchdog.Logging;

/// <summary>
/// Prefixes every line written through it with an ISO 8601 UTC timestamp and one space, the log
/// line format of the process backend (<c>2025-01-01T10:00:00.0000000+00:00 text</c>). A write
/// may hold several lines or part of one; each line is stamped once, when its first character
/// arrives. Thread-safe; flushes the inner writer after every write.
/// </summary>
public sealed class TimestampedTextWriter : TextWriter
{
    private readonly TextWriter _inner;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private bool _atLineStart = true;

    public TimestampedTextWriter(TextWriter inner, TimeProvider? time = null)
        : base(CultureInfo.InvariantCulture)
    {
        _inner = inner;
        _time = time ?? TimeProvider.System;
        NewLine = inner.NewLine;
    }

    public override Encoding Encoding => _inner.Encoding;

    public override void Write(char value) => Write(new ReadOnlySpan<char>(in value));

    public override void Write(string? value) => Write(value.AsSpan());

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(ReadOnlySpan<char> buffer)
    {
        if (buffer.IsEmpty)
        {
            return;
        }

        lock (_gate)
        {
            // One write to the inner writer per call, so concurrent lines never interleave mid-line.
            var text = new StringBuilder(buffer.Length + 36);
            var rest = buffer;
            while (!rest.IsEmpty)
            {
                if (_atLineStart)
                {
                    text.Append(_time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture)).Append(' ');
                    _atLineStart = false;
                }

                var newLine = rest.IndexOf('\n');
                if (newLine < 0)
                {
                    text.Append(rest);
                    break;
                }

                text.Append(rest[..(newLine + 1)]);
                rest = rest[(newLine + 1)..];
                _atLineStart = true;
            }

            _inner.Write(text.ToString());
            _inner.Flush();
        }
    }

    public override void WriteLine() => Write(CoreNewLine);

    public override void WriteLine(string? value) => Write(string.Concat(value, NewLine));

    public override void Flush()
    {
        lock (_gate)
        {
            _inner.Flush();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

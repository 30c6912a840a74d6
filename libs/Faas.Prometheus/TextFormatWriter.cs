using System.Buffers;
using System.Globalization;
using System.Text;

namespace Faas.Prometheus;

/// <summary>Writes metric families in the Prometheus text exposition format 0.0.4, UTF-8, <c>\n</c> line ends.</summary>
internal sealed class TextFormatWriter(IBufferWriter<byte> output)
{
    private static readonly SearchValues<char> LabelValueEscapes = SearchValues.Create("\\\"\n");
    private static readonly SearchValues<char> HelpEscapes = SearchValues.Create("\\\n");

    public void WriteHeader(Collector collector)
    {
        if (collector.Help.Length > 0)
        {
            WriteAscii("# HELP ");
            WriteAscii(collector.Name);
            WriteByte((byte)' ');
            WriteEscaped(collector.Help, HelpEscapes);
            WriteByte((byte)'\n');
        }

        WriteAscii("# TYPE ");
        WriteAscii(collector.Name);
        WriteAscii(collector.Type switch
        {
            MetricType.Counter => " counter\n",
            MetricType.Gauge => " gauge\n",
            _ => " histogram\n",
        });
    }

    /// <summary>
    /// One sample line: <c>name{labels} value</c>; <paramref name="le"/> adds the histogram bucket
    /// label after the family's own labels.
    /// </summary>
    public void WriteSample(string name, string suffix, string[] labelNames, string[] labelValues, double value, double? le = null)
    {
        WriteAscii(name);
        WriteAscii(suffix);
        if (labelNames.Length > 0 || le.HasValue)
        {
            WriteByte((byte)'{');
            for (var i = 0; i < labelNames.Length; i++)
            {
                if (i > 0)
                {
                    WriteByte((byte)',');
                }

                WriteAscii(labelNames[i]);
                WriteAscii("=\"");
                WriteEscaped(labelValues[i], LabelValueEscapes);
                WriteByte((byte)'"');
            }

            if (le.HasValue)
            {
                WriteAscii(labelNames.Length > 0 ? ",le=\"" : "le=\"");
                WriteDouble(le.Value);
                WriteByte((byte)'"');
            }

            WriteByte((byte)'}');
        }

        WriteByte((byte)' ');
        WriteDouble(value);
        WriteByte((byte)'\n');
    }

    public void WriteHistogram(string name, string[] labelNames, string[] labelValues, double[] upperBounds, Histogram.Child child)
    {
        // Read the buckets once so that the +Inf bucket and _count agree within a scrape.
        Span<long> cumulative = child.BucketCount <= 64 ? stackalloc long[child.BucketCount] : new long[child.BucketCount];
        child.CopyCumulativeCounts(cumulative);
        for (var i = 0; i < upperBounds.Length; i++)
        {
            WriteSample(name, "_bucket", labelNames, labelValues, cumulative[i], upperBounds[i]);
        }

        var total = cumulative[^1];
        WriteSample(name, "_bucket", labelNames, labelValues, total, double.PositiveInfinity);
        WriteSample(name, "_sum", labelNames, labelValues, child.Sum);
        WriteSample(name, "_count", labelNames, labelValues, total);
    }

    /// <summary>Go's spelling of the special values; otherwise the shortest round-trip form, invariant culture.</summary>
    internal static string FormatDouble(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private void WriteDouble(double value)
    {
        if (!double.IsFinite(value))
        {
            WriteAscii(FormatDouble(value));
            return;
        }

        var span = output.GetSpan(32);
        if (!value.TryFormat(span, out var written, "R", CultureInfo.InvariantCulture))
        {
            // 32 bytes always fit a double; this keeps correctness should that ever change.
            WriteAscii(FormatDouble(value));
            return;
        }

        output.Advance(written);
    }

    private void WriteEscaped(string value, SearchValues<char> escapes)
    {
        var rest = value.AsSpan();
        int index;
        while ((index = rest.IndexOfAny(escapes)) >= 0)
        {
            WriteUtf8(rest[..index]);
            WriteAscii(rest[index] switch
            {
                '\\' => @"\\",
                '"' => "\\\"",
                _ => @"\n",
            });
            rest = rest[(index + 1)..];
        }

        WriteUtf8(rest);
    }

    private void WriteUtf8(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    private void WriteAscii(string text) => WriteUtf8(text);

    private void WriteByte(byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }
}

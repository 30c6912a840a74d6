using System.Text.RegularExpressions;
using Faas.Watchdog.Logging;

namespace Faas.Watchdog.Tests.Logging;

public class TimestampedTextWriterTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 4, 5, 6, 7, 890, TimeSpan.Zero);
    private const string Stamp = "2025-03-04T05:06:07.8900000+00:00 ";

    [Fact]
    public void EveryLine_IsPrefixedWithAnIsoUtcTimestampAndOneSpace()
    {
        var (writer, output) = Create();

        writer.WriteLine("first");
        writer.Write("second\nthird\n");

        Assert.Equal($"{Stamp}first\n{Stamp}second\n{Stamp}third\n", output.ToString());
    }

    [Fact]
    public void ALineWrittenInPieces_IsPrefixedOnce()
    {
        var (writer, output) = Create();

        writer.Write("par");
        writer.Write('t');
        writer.Write("ial".ToCharArray(), 0, 3);
        writer.WriteLine();
        writer.Write("next");

        Assert.Equal($"{Stamp}partial\n{Stamp}next", output.ToString());
    }

    [Fact]
    public void WindowsLineEndings_KeepTheirCarriageReturn()
    {
        var (writer, output) = Create();

        writer.Write("a\r\nb\r\n");

        Assert.Equal($"{Stamp}a\r\n{Stamp}b\r\n", output.ToString());
    }

    [Fact]
    public void ConcurrentWriters_NeverSplitALine()
    {
        var output = new StringWriter();
        var writer = new TimestampedTextWriter(output);

        Parallel.For(0, 200, i => writer.WriteLine($"line {i} from a writer"));

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(200, lines.Length);
        Assert.All(lines, line => Assert.Matches(new Regex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}\+00:00 line \d+ from a writer$"), line));
    }

    [Fact]
    public void EveryWrite_IsFlushed()
    {
        var inner = new FlushCountingWriter();
        var writer = new TimestampedTextWriter(inner, new FixedTime(Now));

        writer.Write("a");
        writer.WriteLine("b");

        Assert.Equal(2, inner.Flushes);
    }

    private static (TimestampedTextWriter Writer, StringWriter Output) Create()
    {
        var output = new StringWriter { NewLine = "\n" };
        return (new TimestampedTextWriter(output, new FixedTime(Now)), output);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class FlushCountingWriter : StringWriter
    {
        public int Flushes { get; private set; }

        public override void Flush()
        {
            Flushes++;
            base.Flush();
        }
    }
}

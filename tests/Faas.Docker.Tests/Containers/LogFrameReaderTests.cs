using System.Buffers.Binary;
using System.Text;

namespace Faas.Docker.Tests.Containers;

public sealed class LogFrameReaderTests
{
    [Fact]
    public async Task Multiplexed_SplitsFramesIntoLinesPerStream()
    {
        // A stdout line split over two frames, with a stderr frame in between, then two lines in one frame.
        var stream = Frames((1, "hel"), (2, "oops\n"), (1, "lo\nsecond\nthird\n"));

        var lines = await ReadAllAsync(stream, multiplexed: true, timestamps: false);

        Assert.Equal(
            [
                new LogLine(LogStream.Stderr, null, "oops"),
                new LogLine(LogStream.Stdout, null, "hello"),
                new LogLine(LogStream.Stdout, null, "second"),
                new LogLine(LogStream.Stdout, null, "third"),
            ],
            lines);
    }

    [Fact]
    public async Task Multiplexed_PartialLinesAtEndAreReturned()
    {
        var stream = Frames((1, "no newline"), (2, "err tail"));

        var lines = await ReadAllAsync(stream, multiplexed: true, timestamps: false);

        Assert.Equal([new LogLine(LogStream.Stdout, null, "no newline"), new LogLine(LogStream.Stderr, null, "err tail")], lines);
    }

    [Fact]
    public async Task Multiplexed_TruncatedFrame_EndsWithWhatArrived()
    {
        var full = Frames((1, "complete\n"), (1, "cut off here\n")).ToArray();
        var stream = new MemoryStream(full[..^6]);

        var lines = await ReadAllAsync(stream, multiplexed: true, timestamps: false);

        Assert.Equal(["complete", "cut off"], lines.Select(l => l.Text));
    }

    [Fact]
    public async Task Timestamps_AreParsedWithNanosecondsTruncated()
    {
        var stream = Frames((1, "2026-11-22T12:52:13.370222615Z hello world\n"), (2, "2026-11-22T12:52:14Z plain\n"));

        var lines = await ReadAllAsync(stream, multiplexed: true, timestamps: true);

        Assert.Equal(new DateTimeOffset(2026, 11, 22, 12, 52, 13, TimeSpan.Zero).AddTicks(3702226), lines[0].Timestamp);
        Assert.Equal("hello world", lines[0].Text);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 12, 52, 14, TimeSpan.Zero), lines[1].Timestamp);
        Assert.Equal("plain", lines[1].Text);
    }

    [Fact]
    public async Task Raw_TtyOutputIsAllStdoutWithoutCarriageReturns()
    {
        var stream = new MemoryStream("one\r\ntwo\r\nthree"u8.ToArray());

        var lines = await ReadAllAsync(stream, multiplexed: false, timestamps: false);

        Assert.Equal(["one", "two", "three"], lines.Select(l => l.Text));
        Assert.All(lines, l => Assert.Equal(LogStream.Stdout, l.Stream));
    }

    [Fact]
    public async Task Multiplexed_MultiByteCharacterSplitAcrossFrames_IsDecodedWhole()
    {
        var bytes = Encoding.UTF8.GetBytes("grüße\n");
        var stream = new MemoryStream([.. Frame(1, bytes[..3]), .. Frame(1, bytes[3..])]);

        var lines = await ReadAllAsync(stream, multiplexed: true, timestamps: false);

        Assert.Equal("grüße", Assert.Single(lines).Text);
    }

    private static async Task<List<LogLine>> ReadAllAsync(Stream stream, bool multiplexed, bool timestamps)
    {
        using var reader = new LogFrameReader(stream, multiplexed, timestamps);
        var lines = new List<LogLine>();
        while (await reader.ReadAsync(CancellationToken.None) is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    private static MemoryStream Frames(params (byte Type, string Text)[] frames) =>
        new(frames.SelectMany(f => Frame(f.Type, Encoding.UTF8.GetBytes(f.Text))).ToArray());

    private static byte[] Frame(byte type, byte[] payload)
    {
        var frame = new byte[8 + payload.Length];
        frame[0] = type;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)payload.Length);
        payload.CopyTo(frame, 8);
        return frame;
    }
}

using System.Buffers;
using System.Text;
using Faas.Nats.Protocol;

namespace Faas.Nats.Tests.Protocol;

public class ProtocolParserTests
{
    /// <summary>What a parsed op looked like, copied out of the buffer.</summary>
    private sealed record Parsed(ServerOpKind Kind, string? Subject, int Sid, string? ReplyTo, NatsHeaders? Headers, byte[] Payload, string? Text);

    private static readonly byte[] Stream = Encoding.UTF8.GetBytes(
        "INFO {\"server_id\":\"abc\",\"max_payload\":1048576}\r\n" +
        "+OK\r\n" +
        "MSG orders.created 7 _INBOX.abc.1 5\r\nhello\r\n" +
        "MSG empty 8 0\r\n\r\n" +
        "HMSG with.headers 9 32 37\r\nNATS/1.0\r\nA: 1\r\nB: two words\r\n\r\nworld\r\n" +
        "PING\r\n" +
        "PONG\r\n" +
        "-ERR 'Permissions Violation for Publish to \"x\"'\r\n");

    [Fact]
    public void ParsesEveryOperationOfAWholeBuffer()
    {
        var ops = ParseInChunks(Stream, Stream.Length);

        AssertExpectedStream(ops);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(16)]
    public void ParsesTheSameOperationsWhenFramesArriveSplitAtEveryPoint(int chunkSize)
    {
        var ops = ParseInChunks(Stream, chunkSize);

        AssertExpectedStream(ops);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void ParsesOperationsSpanningManyBufferSegments(int segmentSize)
    {
        var sequence = Segmented(Stream, segmentSize);
        var ops = new List<Parsed>();
        while (ProtocolParser.TryParse(ref sequence, out var op))
        {
            ops.Add(Copy(op));
        }

        Assert.True(sequence.IsEmpty);
        AssertExpectedStream(ops);
    }

    [Fact]
    public void LeavesAPartialMessageUnconsumedUntilTheRestArrives()
    {
        var partial = new ReadOnlySequence<byte>("MSG a 1 10\r\n01234"u8.ToArray());
        var before = partial;

        Assert.False(ProtocolParser.TryParse(ref partial, out _));
        Assert.Equal(before.Length, partial.Length);
    }

    [Theory]
    [InlineData("NATS/1.0 503", 503, "")]
    [InlineData("NATS/1.0 404 No Messages", 404, "No Messages")]
    [InlineData("NATS/1.0 408 Request Timeout", 408, "Request Timeout")]
    [InlineData("NATS/1.0 409 Exceeded MaxWaiting", 409, "Exceeded MaxWaiting")]
    [InlineData("NATS/1.0 100 Idle Heartbeat", 100, "Idle Heartbeat")]
    public void ReadsTheStatusLineOfAHeaderOnlyMessage(string statusLine, int code, string text)
    {
        var header = statusLine + "\r\nNats-Pending-Messages: 3\r\n\r\n";
        var bytes = Encoding.ASCII.GetBytes($"HMSG _INBOX.x.1 2 {header.Length} {header.Length}\r\n{header}\r\n");
        var sequence = new ReadOnlySequence<byte>(bytes);

        Assert.True(ProtocolParser.TryParse(ref sequence, out var op));
        var headers = HeaderCodec.Parse(op.Headers);

        Assert.Equal(code, headers.Code);
        Assert.Equal(text, headers.MessageText);
        Assert.Equal("3", headers["Nats-Pending-Messages"].ToString());
        Assert.True(op.Payload.IsEmpty);
    }

    [Fact]
    public void ParsesAOneMegabytePayloadDeliveredInSmallChunks()
    {
        var payload = new byte[1024 * 1024];
        new Random(42).NextBytes(payload);
        var bytes = Encoding.ASCII.GetBytes($"MSG big 3 {payload.Length}\r\n").Concat(payload).Concat("\r\nPING\r\n"u8.ToArray()).ToArray();

        var ops = ParseInChunks(bytes, 4096);

        Assert.Equal(2, ops.Count);
        Assert.Equal(payload, ops[0].Payload);
        Assert.Equal(ServerOpKind.Ping, ops[1].Kind);
    }

    [Theory]
    [InlineData("BOGUS\r\n")]
    [InlineData("MSG a\r\n")]
    [InlineData("MSG a 1 x\r\n")]
    [InlineData("MSG a 1 3\r\nabcXY")]
    [InlineData("HMSG a 1 10 5\r\n")]
    public void RejectsMalformedInput(string input)
    {
        var sequence = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(input));

        Assert.Throws<NatsProtocolException>(() => ProtocolParser.TryParse(ref sequence, out _));
    }

    [Fact]
    public void RejectsAControlLineThatNeverEnds()
    {
        var sequence = new ReadOnlySequence<byte>(new byte[ProtocolParser.MaxControlLine + 1]);

        Assert.Throws<NatsProtocolException>(() => ProtocolParser.TryParse(ref sequence, out _));
    }

    [Fact]
    public void HeadersRoundTripThroughTheWriterAndTheParser()
    {
        var headers = new NatsHeaders { ["Nats-Msg-Id"] = "id-1" };
        headers.Append("Multi", "a");
        headers.Append("Multi", "b");
        var buffer = new byte[HeaderCodec.GetLength(headers)];

        var written = HeaderCodec.Write(headers, buffer);
        var parsed = HeaderCodec.Parse(buffer.AsSpan(0, written));

        Assert.Equal(buffer.Length, written);
        Assert.Equal("id-1", parsed["Nats-Msg-Id"].ToString());
        Assert.Equal("a,b", parsed["Multi"].ToString());
        Assert.Equal(0, parsed.Code);
    }

    [Fact]
    public void PublishCommandCarriesHeaderAndTotalSizes()
    {
        var headers = new NatsHeaders { ["A"] = "1" };
        var command = ProtocolWriter.Publish("sub.ject", "reply.to", headers, "hello", maxPayload: 0, out var size);
        try
        {
            var text = Encoding.UTF8.GetString(command.Span);
            Assert.Equal("HPUB sub.ject reply.to 18 23\r\nNATS/1.0\r\nA: 1\r\n\r\nhello\r\n", text);
            Assert.Equal(23, size);
        }
        finally
        {
            command.Release();
        }
    }

    [Fact]
    public void PublishRejectsSubjectsWithWhitespace()
    {
        Assert.Throws<ArgumentException>(() => ProtocolWriter.Publish<byte[]>("a b", null, null, null, 0, out _));
        Assert.Throws<ArgumentException>(() => ProtocolWriter.Publish<byte[]>("a\r\nPUB x 0", null, null, null, 0, out _));
    }

    private static void AssertExpectedStream(List<Parsed> ops)
    {
        Assert.Collection(
            ops,
            op =>
            {
                Assert.Equal(ServerOpKind.Info, op.Kind);
                Assert.Contains("\"server_id\":\"abc\"", op.Text);
            },
            op => Assert.Equal(ServerOpKind.Ok, op.Kind),
            op =>
            {
                Assert.Equal(ServerOpKind.Msg, op.Kind);
                Assert.Equal("orders.created", op.Subject);
                Assert.Equal(7, op.Sid);
                Assert.Equal("_INBOX.abc.1", op.ReplyTo);
                Assert.Equal("hello", Encoding.UTF8.GetString(op.Payload));
                Assert.Null(op.Headers);
            },
            op =>
            {
                Assert.Equal("empty", op.Subject);
                Assert.Null(op.ReplyTo);
                Assert.Empty(op.Payload);
            },
            op =>
            {
                Assert.Equal("with.headers", op.Subject);
                Assert.Equal(9, op.Sid);
                Assert.NotNull(op.Headers);
                Assert.Equal("1", op.Headers["A"].ToString());
                Assert.Equal("two words", op.Headers["B"].ToString());
                Assert.Equal("world", Encoding.UTF8.GetString(op.Payload));
            },
            op => Assert.Equal(ServerOpKind.Ping, op.Kind),
            op => Assert.Equal(ServerOpKind.Pong, op.Kind),
            op =>
            {
                Assert.Equal(ServerOpKind.Err, op.Kind);
                Assert.Equal("Permissions Violation for Publish to \"x\"", op.Text);
            });
    }

    /// <summary>Feeds <paramref name="bytes"/> in chunks, parsing after each as a pipe reader loop would.</summary>
    private static List<Parsed> ParseInChunks(byte[] bytes, int chunkSize)
    {
        var ops = new List<Parsed>();
        var pending = new List<byte>();
        for (var offset = 0; offset < bytes.Length; offset += chunkSize)
        {
            pending.AddRange(bytes.AsSpan(offset, Math.Min(chunkSize, bytes.Length - offset)));
            var sequence = new ReadOnlySequence<byte>(pending.ToArray());
            while (ProtocolParser.TryParse(ref sequence, out var op))
            {
                ops.Add(Copy(op));
            }

            pending = [.. sequence.ToArray()];
        }

        Assert.Empty(pending);
        return ops;
    }

    private static Parsed Copy(in ServerOp op) => new(
        op.Kind,
        op.Kind == ServerOpKind.Msg ? op.Subject : null,
        op.Sid,
        op.ReplyTo,
        op.HasHeaders ? HeaderCodec.Parse(op.Headers) : null,
        op.Payload.ToArray(),
        op.Text);

    private static ReadOnlySequence<byte> Segmented(byte[] bytes, int segmentSize)
    {
        Segment? first = null;
        Segment? last = null;
        for (var offset = 0; offset < bytes.Length; offset += segmentSize)
        {
            var memory = bytes.AsMemory(offset, Math.Min(segmentSize, bytes.Length - offset));
            last = last is null ? first = new Segment(memory, 0) : last.Append(memory);
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}

using System.IO.Pipelines;
using System.Text.Json;
using Faas.Contracts.Endpoints;
using Faas.Gateway.Endpoints;

namespace Faas.Gateway.Tests.Endpoints;

public sealed class EndpointStreamReaderTests
{
    private static async Task WriteAsync(Pipe pipe, string text)
    {
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(text));
        await pipe.Writer.FlushAsync();
    }

    [Fact]
    public async Task Read_LineArrivingInPieces_YieldsOneSnapshot()
    {
        var pipe = new Pipe();
        await using var enumerator = EndpointStreamReader.ReadAsync(pipe.Reader.AsStream(), TimeSpan.FromSeconds(10)).GetAsyncEnumerator();

        var next = enumerator.MoveNextAsync().AsTask();
        await WriteAsync(pipe, "{\"version\":4,\"functions\":[{\"name\":\"echo\",");
        await Task.Delay(50);
        Assert.False(next.IsCompleted);
        await WriteAsync(pipe, "\"namespace\":\"openfaas-fn\",\"replicas\":1,\"endpoints\":[{\"replica\":\"r1\",\"url\":\"http://127.0.0.1:9\"}]}]}\n");

        Assert.True(await next.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(4, enumerator.Current.Version);
        Assert.Equal("http://127.0.0.1:9", Assert.Single(Assert.Single(enumerator.Current.Functions).Endpoints).Url);
    }

    [Fact]
    public async Task Read_SkipsBlankAndMalformedLines_AndEndsWithTheStream()
    {
        var stream = new MemoryStream(Encoding.UTF8.GetBytes("{\"version\":1}\n\n   \n{not json\n{\"version\":2}\r\n{\"version\":3}"));
        var malformed = new List<string>();

        var versions = new List<long>();
        await foreach (var snapshot in EndpointStreamReader.ReadAsync(stream, TimeSpan.FromSeconds(5), (line, _) => malformed.Add(line)))
        {
            versions.Add(snapshot.Version);
        }

        Assert.Equal([1L, 2L, 3L], versions);
        Assert.Equal(["{not json"], malformed);
    }

    [Fact]
    public async Task Read_SilentStream_ThrowsTimeoutAfterTheSilenceTimeout()
    {
        var pipe = new Pipe();
        await WriteAsync(pipe, JsonSerializer.Serialize(new EndpointSnapshot { Version = 1 }) + "\n");

        var received = new List<long>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAsync<TimeoutException>(async () =>
        {
            await foreach (var snapshot in EndpointStreamReader.ReadAsync(pipe.Reader.AsStream(), TimeSpan.FromMilliseconds(200)))
            {
                received.Add(snapshot.Version);
            }
        });

        Assert.Equal([1L], received);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Read_LinesKeepArriving_SilenceTimerResetsOnEachLine()
    {
        var pipe = new Pipe();
        var writer = Task.Run(async () =>
        {
            for (var i = 1; i <= 5; i++)
            {
                await WriteAsync(pipe, $"{{\"version\":{i}}}\n");
                await Task.Delay(400);
            }

            await pipe.Writer.CompleteAsync();
        });

        // Lines 400 ms apart for longer than the 1.5 s silence timeout in total. (Generous
        // margins: timers run late when the test host's thread pool is busy.)
        var count = 0;
        await foreach (var _ in EndpointStreamReader.ReadAsync(pipe.Reader.AsStream(), TimeSpan.FromMilliseconds(1500)))
        {
            count++;
        }

        await writer;
        Assert.Equal(5, count);
    }

    [Fact]
    public async Task Read_Canceled_ThrowsOperationCanceled_NotTimeout()
    {
        var pipe = new Pipe();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in EndpointStreamReader.ReadAsync(pipe.Reader.AsStream(), TimeSpan.FromSeconds(10), cancellationToken: cancel.Token))
            {
            }
        });
    }
}

using Faas.Contracts.Logs;
using Faas.Controller.Logs;

namespace Faas.Controller.Tests.Logs;

public sealed class LogFileReaderTests : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Lines_OfAllReplicas_AreMergedInTimeOrder()
    {
        Write("fn-a", "2024-01-01T00:00:01Z a1", "2024-01-01T00:00:03Z a3");
        Write("fn-b", "2024-01-01T00:00:02Z b2", "continuation without timestamp", "2024-01-01T00:00:04Z b4");

        var lines = await ReadAllAsync(new LogQuery("fn", "openfaas-fn"));

        Assert.Equal(["a1", "b2", "continuation without timestamp", "a3", "b4"], lines.Select(l => l.Text));
        Assert.Equal(["fn-a", "fn-b", "fn-b", "fn-a", "fn-b"], lines.Select(l => l.Instance));
        Assert.Equal(lines[1].Timestamp, lines[2].Timestamp);
        Assert.All(lines, l => Assert.Equal(("fn", "openfaas-fn"), (l.Name, l.Namespace)));
    }

    [Fact]
    public async Task Tail_KeepsTheLastLinesOverall()
    {
        Write("fn-a", "2024-01-01T00:00:01Z a1", "2024-01-01T00:00:05Z a5");
        Write("fn-b", "2024-01-01T00:00:02Z b2", "2024-01-01T00:00:04Z b4");

        var lines = await ReadAllAsync(new LogQuery("fn", "openfaas-fn", Tail: 3));

        Assert.Equal(["b2", "b4", "a5"], lines.Select(l => l.Text));
    }

    [Fact]
    public async Task Since_And_Instance_Filter()
    {
        Write("fn-a", "2024-01-01T00:00:01Z a1", "2024-01-01T00:00:05Z a5");
        Write("fn-b", "2024-01-01T00:00:02Z b2", "2024-01-01T00:00:04Z b4");

        var since = await ReadAllAsync(new LogQuery("fn", "openfaas-fn", Since: new DateTimeOffset(2024, 1, 1, 0, 0, 3, TimeSpan.Zero)));
        var instance = await ReadAllAsync(new LogQuery("fn", "openfaas-fn", Instance: "fn-b"));

        Assert.Equal(["b4", "a5"], since.Select(l => l.Text));
        Assert.Equal(["b2", "b4"], instance.Select(l => l.Text));
    }

    [Fact]
    public async Task NoFollow_Terminates_IncludingAnUnfinishedLastLine()
    {
        File.WriteAllText(Path.Combine(_dir.Path, "fn-a.log"), "2024-01-01T00:00:01Z done\n2024-01-01T00:00:02Z partial");

        var lines = await ReadAllAsync(new LogQuery("fn", "openfaas-fn", Follow: false));

        Assert.Equal(["done", "partial"], lines.Select(l => l.Text));
    }

    [Fact]
    public async Task MissingFolder_IsAnEmptyStream()
    {
        var lines = await LogFileReader.ReadAsync(Path.Combine(_dir.Path, "nope"), new LogQuery("fn", "openfaas-fn"), Poll, () => true).ToListAsync();

        Assert.Empty(lines);
    }

    [Fact]
    public async Task Follow_StreamsAppendedLinesAndNewReplicas_UntilCancelled()
    {
        Write("fn-a", "2024-01-01T00:00:01Z old");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = new List<LogMessage>();
        var reading = Task.Run(async () =>
        {
            await foreach (var message in LogFileReader.ReadAsync(_dir.Path, new LogQuery("fn", "openfaas-fn", Follow: true), Poll, () => true, cts.Token))
            {
                lock (received)
                {
                    received.Add(message);
                }
            }
        });

        await TestSupport.WaitUntilAsync(() => Count() == 1, "the existing line");
        File.AppendAllText(Path.Combine(_dir.Path, "fn-a.log"), "2024-01-01T00:00:02Z half");
        await Task.Delay(Poll * 5);
        Assert.Equal(1, Count()); // an unfinished line waits for its newline
        File.AppendAllText(Path.Combine(_dir.Path, "fn-a.log"), " line\n");
        Write("fn-new", "2024-01-01T00:00:03Z from a new replica");
        await TestSupport.WaitUntilAsync(() => Count() == 3, "the appended line and the new replica's line");

        await cts.CancelAsync();
        await reading.WaitAsync(TimeSpan.FromSeconds(5));
        lock (received)
        {
            Assert.Equal(["old", "half line", "from a new replica"], received.Select(m => m.Text));
            Assert.Equal("fn-new", received[2].Instance);
        }

        int Count()
        {
            lock (received)
            {
                return received.Count;
            }
        }
    }

    [Fact]
    public async Task Follow_Ends_WhenTheFunctionIsGone()
    {
        Write("fn-a", "2024-01-01T00:00:01Z line");
        var exists = true;

        var reading = LogFileReader.ReadAsync(_dir.Path, new LogQuery("fn", "openfaas-fn", Follow: true), Poll, () => exists).ToListAsync().AsTask();
        await Task.Delay(Poll * 3);
        exists = false;

        var lines = await reading.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Single(lines);
    }

    private void Write(string replica, params string[] lines) =>
        File.AppendAllLines(Path.Combine(_dir.Path, replica + ".log"), lines);

    private Task<List<LogMessage>> ReadAllAsync(LogQuery query) =>
        LogFileReader.ReadAsync(_dir.Path, query, Poll, () => true).ToListAsync().AsTask();
}

namespace Faas.Prometheus.Tests;

public sealed class ConcurrencyTests
{
    private const int Threads = 8;
    private const int Increments = 50_000;

    private readonly MetricFactory _factory = Metrics.WithCustomRegistry(Metrics.NewCustomRegistry());

    [Fact]
    public async Task ConcurrentIncrements_AreNeverLost()
    {
        var counter = _factory.CreateCounter("concurrent_total", "c", "fn");
        var gauge = _factory.CreateGauge("concurrent_gauge", "g");
        var histogram = _factory.CreateHistogram("concurrent_seconds", "h", new HistogramConfiguration { Buckets = [0.5] });

        await RunInParallelAsync(thread =>
        {
            for (var i = 0; i < Increments; i++)
            {
                counter.WithLabels("shared").Inc();
                counter.WithLabels($"t{thread % 2}").Inc(0.5);
                gauge.Inc();
                gauge.Dec(0.5);
                histogram.Observe(i % 2 == 0 ? 0.25 : 1);
            }
        });

        Assert.Equal(Threads * Increments, counter.WithLabels("shared").Value);
        Assert.Equal(Threads / 2 * Increments * 0.5, counter.WithLabels("t0").Value);
        Assert.Equal(Threads * Increments * 0.5, gauge.Value);
        Assert.Equal(Threads * Increments, histogram.Count);
        Assert.Equal(Threads * Increments / 2 * 1.25, histogram.Sum);
    }

    [Fact]
    public async Task ConcurrentFirstUse_CreatesOneChildPerLabelValues()
    {
        var counter = _factory.CreateCounter("first_use_total", "c", "fn");
        var children = new Counter.Child[Threads];
        using var start = new Barrier(Threads);

        await RunInParallelAsync(thread =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(10));
            children[thread] = counter.WithLabels("racy");
            children[thread].Inc();
        });

        Assert.All(children, child => Assert.Same(children[0], child));
        Assert.Equal(Threads, counter.WithLabels("racy").Value);
    }

    [Fact]
    public async Task ConcurrentRegistration_ReturnsOneCollector()
    {
        var collectors = new Counter[Threads];
        await RunInParallelAsync(thread => collectors[thread] = _factory.CreateCounter("registered_total", "c", "a"));
        Assert.All(collectors, c => Assert.Same(collectors[0], c));
    }

    [Fact]
    public void HotPath_OnAnExistingChild_DoesNotAllocate()
    {
        var counter = _factory.CreateCounter("alloc_total", "c", "function_name", "code");
        var histogram = _factory.CreateHistogram("alloc_seconds", "h", "function_name", "code");
        Touch(counter, histogram); // create the children and JIT the path

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            Touch(counter, histogram);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        static void Touch(Counter counter, Histogram histogram)
        {
            counter.WithLabels("echo.openfaas-fn", "200").Inc();
            histogram.WithLabels("echo.openfaas-fn", "200").Observe(0.01);
        }
    }

    private static Task RunInParallelAsync(Action<int> body)
    {
        var tasks = new Task[Threads];
        for (var t = 0; t < Threads; t++)
        {
            var thread = t;
            tasks[t] = Task.Factory.StartNew(() => body(thread), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        return Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(60));
    }
}

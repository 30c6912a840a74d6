namespace Faas.Prometheus.Tests;

public sealed class HistogramTests
{
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly MetricFactory _factory;

    public HistogramTests()
    {
        _factory = Metrics.WithCustomRegistry(_registry);
    }

    [Fact]
    public void DefaultBuckets_MatchTheGoClient()
    {
        Assert.Equal([.005, .01, .025, .05, .075, .1, .25, .5, .75, 1, 2.5, 5, 7.5, 10], Histogram.DefaultBuckets);
        Assert.Equal(Histogram.DefaultBuckets, _factory.CreateHistogram("d", "d").Buckets);
    }

    [Fact]
    public void ExponentialBuckets_MultiplyByTheFactor() =>
        Assert.Equal([0.001, 0.01, 0.1, 1], Histogram.ExponentialBuckets(0.001, 10, 4), new ToleranceComparer());

    [Fact]
    public void LinearBuckets_AddTheWidth() =>
        Assert.Equal([1, 1.5, 2, 2.5], Histogram.LinearBuckets(1, 0.5, 4));

    [Theory]
    [InlineData(0, 2, 3)]
    [InlineData(1, 1, 3)]
    [InlineData(1, 2, 0)]
    public void ExponentialBuckets_RejectBadArguments(double start, double factor, int count) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Histogram.ExponentialBuckets(start, factor, count));

    [Fact]
    public void LinearBuckets_RejectBadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Histogram.LinearBuckets(0, 0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Histogram.LinearBuckets(0, 1, 0));
    }

    [Theory]
    [InlineData(new[] { 2.0, 1.0 })]
    [InlineData(new[] { 1.0, 1.0 })]
    [InlineData(new[] { 1.0, double.NaN })]
    [InlineData(new[] { double.NegativeInfinity, 1.0 })]
    public void UnorderedOrNonFiniteBuckets_AreRejected(double[] buckets) =>
        Assert.Throws<ArgumentException>(() => _factory.CreateHistogram("bad", "b", new HistogramConfiguration { Buckets = buckets }));

    [Fact]
    public void TrailingInfBucket_IsImplied()
    {
        var histogram = _factory.CreateHistogram("inf", "i", new HistogramConfiguration { Buckets = [1, double.PositiveInfinity] });
        Assert.Equal([1.0], histogram.Buckets);
    }

    [Fact]
    public async Task Observations_LandInTheFirstBucketAtLeastAsLarge()
    {
        var histogram = _factory.CreateHistogram("math", "m", new HistogramConfiguration { Buckets = [1, 2, 5] });
        foreach (var value in new[] { -3, 0, 1, 1.0000001, 2, 4.99, 5, 5.01, double.PositiveInfinity })
        {
            histogram.Observe(value);
        }

        histogram.Observe(double.NaN);
        histogram.Observe(3, count: 4);

        var buckets = TextFormatParser.Parse(await TestExport.ToTextAsync(_registry))
            .Where(s => s.Name == "math_bucket")
            .ToDictionary(s => s.Labels["le"], s => s.Value);

        Assert.Equal(3, buckets["1"]);      // -3, 0, 1 (le is inclusive)
        Assert.Equal(5, buckets["2"]);      // + 1.0000001, 2
        Assert.Equal(11, buckets["5"]);     // + 4.99, 5, 3 ×4
        Assert.Equal(14, buckets["+Inf"]);  // + 5.01, +Inf, NaN (NaN goes to +Inf, as in the Go client)
        Assert.Equal(14, histogram.Count);
        Assert.True(double.IsNaN(histogram.Sum));
    }

    [Fact]
    public void Timer_ObservesElapsedSecondsOnce()
    {
        var histogram = _factory.CreateHistogram("timer_seconds", "t");
        using (histogram.NewTimer())
        {
            Thread.Sleep(20);
        }

        Assert.Equal(1, histogram.Count);
        Assert.InRange(histogram.Sum, 0.015, 5);

        var timer = histogram.NewTimer();
        var elapsed = timer.ObserveDuration();
        Assert.Equal(2, histogram.Count);
        Assert.True(elapsed >= TimeSpan.Zero);
    }

    private sealed class ToleranceComparer : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= 1e-12 * Math.Max(1, Math.Abs(x));

        public int GetHashCode(double obj) => 0;
    }
}

using Faas.Prometheus.Query;

namespace Faas.Prometheus.Tests.Integration;

public sealed class CounterIntegrationTests(PrometheusFixture prometheus) : IClassFixture<PrometheusFixture>
{
    [Fact]
    public async Task LabelledCounter_IsSummedByPrometheus_AndRateRisesWithMoreIncrements()
    {
        var counter = prometheus.Factory.CreateCounter("it_counter_sum_total", "Counter summed by Prometheus.", "fn", "code");
        counter.WithLabels("a", "200").Inc(5);
        counter.WithLabels("a", "500").Inc(2);
        counter.WithLabels("b", "200").Inc(100);

        var sum = await prometheus.WaitForValueAsync("sum(it_counter_sum_total{fn=\"a\"})", v => v == 7);
        Assert.Equal(7, sum);

        var rate = await prometheus.WaitForValueAsync(
            "sum(rate(it_counter_sum_total{fn=\"a\"}[5s]))",
            v => v > 0,
            beforeEachAttempt: () => counter.WithLabels("a", "200").Inc());
        Assert.True(rate > 0);
    }

    [Fact]
    public async Task ScrapeTarget_IsUp()
    {
        var up = await prometheus.WaitForValueAsync($"up{{job=\"{prometheus.JobName}\"}}", v => v == 1);
        Assert.Equal(1, up);
    }

    [Fact]
    public async Task RangeQuery_ReturnsTheSeriesAsAMatrix()
    {
        var gauge = prometheus.Factory.CreateGauge("it_range_gauge", "Gauge read back as a range.", "fn");
        gauge.WithLabels("r").Set(42);
        await prometheus.WaitForValueAsync("it_range_gauge{fn=\"r\"}", v => v == 42);

        var end = DateTimeOffset.UtcNow;
        var matrix = await prometheus.Client.QueryRangeAsync("it_range_gauge", end.AddSeconds(-5), end, TimeSpan.FromSeconds(1));

        var series = Assert.Single(matrix.Series);
        Assert.Equal("r", series.Labels["fn"]);
        Assert.Equal(prometheus.JobName, series.Labels["job"]);
        Assert.NotEmpty(series.Points);
        Assert.All(series.Points, p => Assert.Equal(42, p.Value));
        Assert.Equal(series.Points.OrderBy(p => p.Timestamp), series.Points);
    }
}

using Faas.Prometheus.Query;

namespace Faas.Prometheus.Tests.Integration;

public sealed class HistogramIntegrationTests(PrometheusFixture prometheus) : IClassFixture<PrometheusFixture>
{
    [Fact]
    public async Task Histogram_QuantileIsInterpolatedWithinTheObservedBucket()
    {
        var histogram = prometheus.Factory.CreateHistogram("it_latency_seconds", "Latency read by histogram_quantile.", new HistogramConfiguration
        {
            LabelNames = ["fn"],
            Buckets = [0.1, 0.5, 1],
        });
        var child = histogram.WithLabels("a");
        for (var i = 0; i < 100; i++)
        {
            child.Observe(0.2);
        }

        await prometheus.WaitForValueAsync("sum(it_latency_seconds_count{fn=\"a\"})", v => v == 100);

        // All 100 observations sit in (0.1, 0.5]: the median interpolates to halfway, 0.3.
        var median = await prometheus.WaitForValueAsync(
            "histogram_quantile(0.5, sum by (le) (it_latency_seconds_bucket{fn=\"a\"}))", v => !double.IsNaN(v));
        Assert.InRange(median, 0.2999, 0.3001);

        var sum = await prometheus.WaitForValueAsync("sum(it_latency_seconds_sum{fn=\"a\"})", v => v > 0);
        Assert.InRange(sum, 19.99, 20.01);
    }

    [Fact]
    public async Task EscapedLabelValues_ArriveUnescaped()
    {
        var gauge = prometheus.Factory.CreateGauge("it_escaped_gauge", "Label value with characters to escape.", "path");
        gauge.WithLabels("C:\\dir \"quoted\"\nnext").Set(3);

        var result = await prometheus.WaitForValueAsync("count(it_escaped_gauge)", v => v == 1);
        Assert.Equal(1, result);

        var vector = Assert.IsType<InstantVector>(await prometheus.Client.QueryAsync("it_escaped_gauge"));
        Assert.Equal("C:\\dir \"quoted\"\nnext", Assert.Single(vector.Samples).Labels["path"]);
    }
}

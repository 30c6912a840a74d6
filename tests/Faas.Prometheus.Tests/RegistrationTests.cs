namespace Faas.Prometheus.Tests;

public sealed class RegistrationTests
{
    private readonly MetricFactory _factory = Metrics.WithCustomRegistry(Metrics.NewCustomRegistry());

    [Theory]
    [InlineData("http_requests_total")]
    [InlineData("_private")]
    [InlineData("job:rate5m")]
    [InlineData("A1")]
    public void ValidMetricName_IsAccepted(string name) => Assert.True(MetricNames.IsValidMetricName(name));

    [Theory]
    [InlineData("")]
    [InlineData("1abc")]
    [InlineData("has-dash")]
    [InlineData("has space")]
    [InlineData("ünicode")]
    public void InvalidMetricName_IsRejected(string name)
    {
        Assert.False(MetricNames.IsValidMetricName(name));
        var e = Assert.Throws<ArgumentException>(() => _factory.CreateCounter(name, "help"));
        Assert.Contains("[a-zA-Z_:][a-zA-Z0-9_:]*", e.Message);
    }

    [Theory]
    [InlineData("code")]
    [InlineData("_x")]
    [InlineData("function_name2")]
    public void ValidLabelName_IsAccepted(string label) => Assert.True(MetricNames.IsValidLabelName(label));

    [Theory]
    [InlineData("")]
    [InlineData("__name__")]
    [InlineData("__reserved")]
    [InlineData("9lives")]
    [InlineData("a:b")]
    [InlineData("a-b")]
    public void InvalidLabelName_IsRejected(string label)
    {
        Assert.False(MetricNames.IsValidLabelName(label));
        Assert.Throws<ArgumentException>(() => _factory.CreateGauge("g", "help", label));
    }

    [Fact]
    public void DuplicateLabelName_IsRejected() =>
        Assert.Throws<ArgumentException>(() => _factory.CreateCounter("c_total", "help", "a", "a"));

    [Fact]
    public void HistogramLeLabel_IsReserved() =>
        Assert.Throws<ArgumentException>(() => _factory.CreateHistogram("h", "help", "le"));

    [Fact]
    public void SameDefinitionTwice_ReturnsTheExistingCollector()
    {
        var first = _factory.CreateCounter("same_total", "help", "a", "b");
        var second = _factory.CreateCounter("same_total", "other help is ignored", "a", "b");
        Assert.Same(first, second);

        var h1 = _factory.CreateHistogram("same_seconds", "help", new HistogramConfiguration { Buckets = [1, 2] });
        var h2 = _factory.CreateHistogram("same_seconds", "help", new HistogramConfiguration { Buckets = [1, 2] });
        Assert.Same(h1, h2);
    }

    [Fact]
    public void SameNameWithDifferentType_Throws()
    {
        _factory.CreateCounter("clash", "help");
        var e = Assert.Throws<InvalidOperationException>(() => _factory.CreateGauge("clash", "help"));
        Assert.Contains("already registered as a counter", e.Message);
    }

    [Fact]
    public void SameNameWithDifferentLabels_Throws()
    {
        _factory.CreateCounter("labels_total", "help", "a");
        Assert.Throws<InvalidOperationException>(() => _factory.CreateCounter("labels_total", "help", "b"));
        Assert.Throws<InvalidOperationException>(() => _factory.CreateCounter("labels_total", "help", "a", "b"));
        Assert.Throws<InvalidOperationException>(() => _factory.CreateCounter("labels_total", "help"));
    }

    [Fact]
    public void SameHistogramWithDifferentBuckets_Throws()
    {
        _factory.CreateHistogram("buckets_seconds", "help", new HistogramConfiguration { Buckets = [1, 2] });
        Assert.Throws<InvalidOperationException>(() =>
            _factory.CreateHistogram("buckets_seconds", "help", new HistogramConfiguration { Buckets = [1, 3] }));
    }

    [Fact]
    public void WithLabels_WrongNumberOfValues_Throws()
    {
        var counter = _factory.CreateCounter("count_total", "help", "a", "b");
        var e = Assert.Throws<ArgumentException>(() => counter.WithLabels("only-one"));
        Assert.Contains("2 label(s) (a, b) but 1 value(s)", e.Message);
    }

    [Fact]
    public void WithLabels_NullValue_Throws()
    {
        var counter = _factory.CreateCounter("null_total", "help", "a");
        Assert.Throws<ArgumentException>(() => counter.WithLabels([null!]));
    }

    [Fact]
    public void WithLabels_SameValues_ReturnsTheCachedChild()
    {
        var counter = _factory.CreateCounter("cache_total", "help", "a", "b");
        Assert.Same(counter.WithLabels("x", "y"), counter.WithLabels("x", "y"));
        Assert.NotSame(counter.WithLabels("x", "y"), counter.WithLabels("y", "x"));
    }

    [Fact]
    public void UnlabelledAccess_OnLabelledFamily_Throws()
    {
        var counter = _factory.CreateCounter("fam_total", "help", "a");
        Assert.Throws<InvalidOperationException>(() => counter.Inc());
    }

    [Fact]
    public void Counter_RejectsNegativeAndNaNIncrements()
    {
        var counter = _factory.CreateCounter("neg_total", "help");
        Assert.Throws<ArgumentOutOfRangeException>(() => counter.Inc(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => counter.Inc(double.NaN));
        counter.Inc(0);
        counter.IncTo(5);
        counter.IncTo(3);
        Assert.Equal(5, counter.Value);
    }

    [Fact]
    public void Gauge_IncDecSetAndBounds()
    {
        var gauge = _factory.CreateGauge("g", "help");
        gauge.Inc(3);
        gauge.Dec();
        Assert.Equal(2, gauge.Value);
        gauge.Set(-7.5);
        Assert.Equal(-7.5, gauge.Value);
        gauge.IncTo(1);
        gauge.IncTo(0);
        Assert.Equal(1, gauge.Value);
        gauge.DecTo(-2);
        gauge.DecTo(5);
        Assert.Equal(-2, gauge.Value);
        gauge.Set(double.NaN);
        gauge.Inc();
        Assert.True(double.IsNaN(gauge.Value));
    }

    [Fact]
    public void StaticFactory_UsesTheDefaultRegistry()
    {
        var counter = Metrics.CreateCounter("faas_prometheus_tests_default_registry_total", "help");
        Assert.Contains(counter, Metrics.DefaultRegistry.Collectors);
    }
}

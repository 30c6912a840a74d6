using System.Text;

namespace Faas.Prometheus.Tests;

public sealed class ExpositionTests
{
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly MetricFactory _factory;

    public ExpositionTests()
    {
        _factory = Metrics.WithCustomRegistry(_registry);
    }

    [Fact]
    public async Task UnlabelledCounterAndGauge_AreWrittenWithHelpAndType()
    {
        _factory.CreateCounter("requests_total", "Requests served.").Inc(3);
        _factory.CreateGauge("in_flight", "Requests in flight.").Set(-1.25);

        Assert.Equal(
            """
            # HELP in_flight Requests in flight.
            # TYPE in_flight gauge
            in_flight -1.25
            # HELP requests_total Requests served.
            # TYPE requests_total counter
            requests_total 3

            """,
            await TestExport.ToTextAsync(_registry));
    }

    [Fact]
    public async Task LabelledCounter_ChildrenAreOrderedByLabelValues()
    {
        var counter = _factory.CreateCounter("gateway_function_invocation_total", "Invocations.", "function_name", "code");
        counter.WithLabels("fn-b.openfaas-fn", "200").Inc();
        counter.WithLabels("fn-a.openfaas-fn", "500").Inc(2);
        counter.WithLabels("fn-a.openfaas-fn", "200").Inc(0.5);

        Assert.Equal(
            """
            # HELP gateway_function_invocation_total Invocations.
            # TYPE gateway_function_invocation_total counter
            gateway_function_invocation_total{function_name="fn-a.openfaas-fn",code="200"} 0.5
            gateway_function_invocation_total{function_name="fn-a.openfaas-fn",code="500"} 2
            gateway_function_invocation_total{function_name="fn-b.openfaas-fn",code="200"} 1

            """,
            await TestExport.ToTextAsync(_registry));
    }

    [Fact]
    public async Task LabelledHistogram_WritesCumulativeBucketsInfSumAndCount()
    {
        var histogram = _factory.CreateHistogram("fn_seconds", "Durations.", new HistogramConfiguration
        {
            LabelNames = ["function_name"],
            Buckets = [0.1, 1, 10],
        });
        var child = histogram.WithLabels("echo");
        child.Observe(0.05);
        child.Observe(0.1);
        child.Observe(0.5);
        child.Observe(20);

        Assert.Equal(
            """
            # HELP fn_seconds Durations.
            # TYPE fn_seconds histogram
            fn_seconds_bucket{function_name="echo",le="0.1"} 2
            fn_seconds_bucket{function_name="echo",le="1"} 3
            fn_seconds_bucket{function_name="echo",le="10"} 3
            fn_seconds_bucket{function_name="echo",le="+Inf"} 4
            fn_seconds_sum{function_name="echo"} 20.65
            fn_seconds_count{function_name="echo"} 4

            """,
            await TestExport.ToTextAsync(_registry));
    }

    [Fact]
    public async Task UnlabelledHistogram_HasOnlyTheLeLabel()
    {
        _factory.CreateHistogram("h", "", new HistogramConfiguration { Buckets = [1] }).Observe(2);

        Assert.Equal(
            """
            # TYPE h histogram
            h_bucket{le="1"} 0
            h_bucket{le="+Inf"} 1
            h_sum 2
            h_count 1

            """,
            await TestExport.ToTextAsync(_registry));
    }

    [Fact]
    public async Task LabelValuesAndHelp_AreEscaped()
    {
        var gauge = _factory.CreateGauge("escaped", "Help with \\ backslash,\nnewline and \"quotes\".", "path");
        gauge.WithLabels("C:\\dir \"quoted\"\nnext ünï").Set(1);

        Assert.Equal(
            "# HELP escaped Help with \\\\ backslash,\\nnewline and \"quotes\".\n"
            + "# TYPE escaped gauge\n"
            + "escaped{path=\"C:\\\\dir \\\"quoted\\\"\\nnext ünï\"} 1\n",
            await TestExport.ToTextAsync(_registry));
    }

    [Fact]
    public async Task SpecialAndLargeValues_UseInvariantGoSpelling()
    {
        var gauge = _factory.CreateGauge("special", "s", "v");
        gauge.WithLabels("a_pos_inf").Set(double.PositiveInfinity);
        gauge.WithLabels("b_neg_inf").Set(double.NegativeInfinity);
        gauge.WithLabels("c_nan").Set(double.NaN);
        gauge.WithLabels("d_small").Set(0.000001);
        gauge.WithLabels("e_large").Set(12345678901234567890d);
        gauge.WithLabels("f_fraction").Set(1.0 / 3);

        var lines = (await TestExport.ToTextAsync(_registry)).Split('\n');

        Assert.Equal(
            [
                "special{v=\"a_pos_inf\"} +Inf",
                "special{v=\"b_neg_inf\"} -Inf",
                "special{v=\"c_nan\"} NaN",
                "special{v=\"d_small\"} 1E-06",
                "special{v=\"e_large\"} 1.2345678901234567E+19",
                "special{v=\"f_fraction\"} 0.3333333333333333",
            ],
            lines[2..8]);
    }

    [Fact]
    public async Task FamiliesAreOrderedByName_AndEmptyLabelledFamiliesAreOmitted()
    {
        _factory.CreateGauge("zeta", "z").Set(1);
        _factory.CreateCounter("alpha_total", "a");
        _factory.CreateGauge("middle", "m", "only_labelled");

        var text = await TestExport.ToTextAsync(_registry);

        Assert.Equal(
            """
            # HELP alpha_total a
            # TYPE alpha_total counter
            alpha_total 0
            # HELP zeta z
            # TYPE zeta gauge
            zeta 1

            """,
            text);
    }

    [Fact]
    public async Task RemovedChildren_DisappearFromTheExposition()
    {
        var gauge = _factory.CreateGauge("gateway_service_count", "Replicas.", "function_name");
        gauge.WithLabels("a").Set(1);
        gauge.WithLabels("b").Set(2);

        Assert.True(gauge.RemoveLabelled("a"));
        Assert.False(gauge.RemoveLabelled("a"));
        Assert.Equal([["b"]], gauge.GetAllLabelValues());

        gauge.RemoveAllLabelled();
        Assert.Equal("", await TestExport.ToTextAsync(_registry));

        // A removed child's old reference no longer exports; WithLabels creates a fresh one.
        gauge.WithLabels("a").Inc();
        Assert.Contains("gateway_service_count{function_name=\"a\"} 1\n", await TestExport.ToTextAsync(_registry));
    }

    [Fact]
    public async Task BeforeCollectCallbacks_RunBeforeEachExport()
    {
        var gauge = _factory.CreateGauge("refreshed", "Refreshed per scrape.", "function_name");
        var scrapes = 0;
        _registry.AddBeforeCollectCallback(() =>
        {
            scrapes++;
            gauge.RemoveAllLabelled();
            gauge.WithLabels($"fn{scrapes}").Set(scrapes);
        });
        _registry.AddBeforeCollectCallback(async cancellationToken =>
        {
            await Task.Yield();
            _factory.CreateCounter("async_callback_total", "c").Inc();
        });

        await TestExport.ToTextAsync(_registry);
        var second = await TestExport.ToTextAsync(_registry);

        Assert.Contains("refreshed{function_name=\"fn2\"} 2\n", second);
        Assert.DoesNotContain("fn1", second);
        Assert.Contains("async_callback_total 2\n", second);
    }

    [Fact]
    public async Task StreamExport_WritesTheSameUtf8Text()
    {
        _factory.CreateCounter("stream_total", "ü").Inc();
        using var stream = new MemoryStream();

        await _registry.CollectAndExportAsTextAsync(stream);

        Assert.Equal(await TestExport.ToTextAsync(_registry), Encoding.UTF8.GetString(stream.ToArray()));
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", PrometheusConstants.ExporterContentType);
    }

    [Fact]
    public async Task Exposition_ParsesBackIntoTheSameSamples()
    {
        var counter = _factory.CreateCounter("round_trip_total", "r", "a", "b");
        counter.WithLabels("x\"y", "line\nbreak").Inc(7);
        _factory.CreateHistogram("round_trip_seconds", "h", new HistogramConfiguration { Buckets = [1] }).Observe(0.5);

        var samples = TextFormatParser.Parse(await TestExport.ToTextAsync(_registry));

        var sample = Assert.Single(samples, s => s.Name == "round_trip_total");
        Assert.Equal(7, sample.Value);
        Assert.Equal("x\"y", sample.Labels["a"]);
        Assert.Equal("line\nbreak", sample.Labels["b"]);
        Assert.Equal(1, Assert.Single(samples, s => s.Name == "round_trip_seconds_bucket" && s.Labels["le"] == "+Inf").Value);
        Assert.Equal(1, Assert.Single(samples, s => s.Name == "round_trip_seconds_count").Value);
    }
}

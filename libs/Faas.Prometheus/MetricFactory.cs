namespace Faas.Prometheus;

/// <summary>
/// Creates metric families in one registry. Creating a family that already exists with the same
/// definition returns the existing one; a different definition under the same name throws.
/// </summary>
public sealed class MetricFactory
{
    internal MetricFactory(CollectorRegistry registry)
    {
        Registry = registry;
    }

    public CollectorRegistry Registry { get; }

    public Counter CreateCounter(string name, string help, params string[] labelNames) =>
        CreateCounter(name, help, new CounterConfiguration { LabelNames = labelNames });

    public Counter CreateCounter(string name, string help, CounterConfiguration? configuration)
    {
        ValidateNameAndHelp(name, help);
        var labels = MetricNames.ValidateLabelNames(name, configuration?.LabelNames, reservedLabel: null);
        return Registry.GetOrAdd(new Counter(name, help, labels));
    }

    public Gauge CreateGauge(string name, string help, params string[] labelNames) =>
        CreateGauge(name, help, new GaugeConfiguration { LabelNames = labelNames });

    public Gauge CreateGauge(string name, string help, GaugeConfiguration? configuration)
    {
        ValidateNameAndHelp(name, help);
        var labels = MetricNames.ValidateLabelNames(name, configuration?.LabelNames, reservedLabel: null);
        return Registry.GetOrAdd(new Gauge(name, help, labels));
    }

    public Histogram CreateHistogram(string name, string help, params string[] labelNames) =>
        CreateHistogram(name, help, new HistogramConfiguration { LabelNames = labelNames });

    public Histogram CreateHistogram(string name, string help, HistogramConfiguration? configuration)
    {
        ValidateNameAndHelp(name, help);
        var labels = MetricNames.ValidateLabelNames(name, configuration?.LabelNames, reservedLabel: "le");
        var buckets = Histogram.ValidateBuckets(name, configuration?.Buckets);
        return Registry.GetOrAdd(new Histogram(name, help, labels, buckets));
    }

    private static void ValidateNameAndHelp(string name, string help)
    {
        MetricNames.ThrowIfInvalidMetricName(name);
        ArgumentNullException.ThrowIfNull(help);
    }
}

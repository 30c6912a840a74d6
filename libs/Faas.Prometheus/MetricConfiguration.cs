namespace Faas.Prometheus;

/// <summary>Options shared by every metric type.</summary>
public class MetricConfiguration
{
    /// <summary>Label names, in the order label values are passed to <c>WithLabels</c>.</summary>
    public string[]? LabelNames { get; init; }
}

public sealed class CounterConfiguration : MetricConfiguration;

public sealed class GaugeConfiguration : MetricConfiguration;

public sealed class HistogramConfiguration : MetricConfiguration
{
    /// <summary>
    /// Finite upper bounds, strictly increasing; a trailing +Inf is implied.
    /// Defaults to <see cref="Histogram.DefaultBuckets"/>.
    /// </summary>
    public double[]? Buckets { get; init; }
}

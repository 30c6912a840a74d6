namespace Faas.Prometheus;

/// <summary>
/// Entry point shaped like prometheus-net's <c>Metrics</c>: static creation into
/// <see cref="DefaultRegistry"/>, or <see cref="WithCustomRegistry"/> for an isolated registry
/// (what tests and multi-tenant hosts should use).
/// </summary>
public static class Metrics
{
    /// <summary>The process-wide registry used by the static <c>Create*</c> methods.</summary>
    public static CollectorRegistry DefaultRegistry { get; } = new();

    // Declared after DefaultRegistry: static initializers run in textual order.
    private static readonly MetricFactory DefaultFactory = new(DefaultRegistry);

    public static CollectorRegistry NewCustomRegistry() => new();

    public static MetricFactory WithCustomRegistry(CollectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return new MetricFactory(registry);
    }

    public static Counter CreateCounter(string name, string help, params string[] labelNames) =>
        DefaultFactory.CreateCounter(name, help, labelNames);

    public static Counter CreateCounter(string name, string help, CounterConfiguration? configuration) =>
        DefaultFactory.CreateCounter(name, help, configuration);

    public static Gauge CreateGauge(string name, string help, params string[] labelNames) =>
        DefaultFactory.CreateGauge(name, help, labelNames);

    public static Gauge CreateGauge(string name, string help, GaugeConfiguration? configuration) =>
        DefaultFactory.CreateGauge(name, help, configuration);

    public static Histogram CreateHistogram(string name, string help, params string[] labelNames) =>
        DefaultFactory.CreateHistogram(name, help, labelNames);

    public static Histogram CreateHistogram(string name, string help, HistogramConfiguration? configuration) =>
        DefaultFactory.CreateHistogram(name, help, configuration);
}

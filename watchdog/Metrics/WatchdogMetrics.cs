using System.Collections.Concurrent;
using System.Globalization;
using Faas.Prometheus;

namespace Faas.Watchdog.Metrics;

/// <summary>
/// Every metric the watchdog exports (of-watchdog names, <c>openfaas-reference.md</c> §6.4), over
/// the app's own <see cref="CollectorRegistry"/>. <c>method</c> is lower case as promhttp writes it.
/// </summary>
internal sealed class WatchdogMetrics
{
    private readonly ConcurrentDictionary<(int Code, string Method), (Counter.Child Total, Histogram.Child Seconds)> _children = new();

    public WatchdogMetrics(CollectorRegistry registry)
    {
        Registry = registry;
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        Requests = factory.CreateCounter("http_requests_total",
            "Function calls served, by status code and method.", "code", "method");
        Duration = factory.CreateHistogram("http_request_duration_seconds",
            "Seconds taken to serve a function call, by status code and method.", "code", "method");
        InFlight = factory.CreateGauge("http_requests_in_flight",
            "Function calls being served.");
    }

    public CollectorRegistry Registry { get; }

    public Counter Requests { get; }

    public Histogram Duration { get; }

    public Gauge InFlight { get; }

    /// <summary>Counts one finished call; the children are created once per code and method.</summary>
    public void Completed(int code, string method, TimeSpan duration)
    {
        if (!_children.TryGetValue((code, method), out var children))
        {
            children = _children.GetOrAdd((code, method), key =>
            {
                var codeText = key.Code.ToString(CultureInfo.InvariantCulture);
                var methodText = key.Method.ToLowerInvariant();
                return (Requests.WithLabels(codeText, methodText), Duration.WithLabels(codeText, methodText));
            });
        }

        children.Total.Inc();
        children.Seconds.Observe(duration.TotalSeconds);
    }
}

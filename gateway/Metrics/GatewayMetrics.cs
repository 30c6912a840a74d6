using System.Collections.Concurrent;
using Faas.Gateway.Endpoints;
using Faas.Prometheus;

namespace Faas.Gateway.Metrics;

/// <summary>
/// Every metric the gateway exports, with its name, labels and help (OpenFaaS names, see
/// <c>openfaas-reference.md</c> §6.1/6.2). One instance per app over its own
/// <see cref="CollectorRegistry"/> (not the static default) so parallel tests stay apart.
/// <c>function_name</c> is always <c>name.namespace</c>.
/// </summary>
public sealed class GatewayMetrics
{
    public const string FunctionNameLabel = "function_name";
    public const string CodeLabel = "code";

    private readonly ConcurrentDictionary<FunctionKey, FunctionMetrics> _functions = new();

    public GatewayMetrics(CollectorRegistry registry)
    {
        Registry = registry;
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        Invocations = factory.CreateCounter("gateway_function_invocation_total",
            "Function invocations by status code, counted on completion.", FunctionNameLabel, CodeLabel);
        Duration = factory.CreateHistogram("gateway_functions_seconds",
            "Function invocation duration in seconds, observed on completion.", FunctionNameLabel, CodeLabel);
        Started = factory.CreateCounter("gateway_function_invocation_started",
            "Function invocations started, counted on entry.", FunctionNameLabel);
        InFlight = factory.CreateGauge("gateway_function_invocation_inflight",
            "Function invocations in progress (held or forwarded).", FunctionNameLabel);
        ServiceCount = factory.CreateGauge("gateway_service_count",
            "Desired replicas of the function, from the endpoint table.", FunctionNameLabel);
        ServiceReadyCount = factory.CreateGauge("gateway_service_ready_count",
            "Ready replicas of the function, from the endpoint table.", FunctionNameLabel);
        ColdStart = factory.CreateHistogram("gateway_cold_start_seconds",
            "Seconds a call was held waiting for a first ready replica.", FunctionNameLabel);
    }

    public CollectorRegistry Registry { get; }

    public Counter Invocations { get; }

    public Histogram Duration { get; }

    public Counter Started { get; }

    public Gauge InFlight { get; }

    public Gauge ServiceCount { get; }

    public Gauge ServiceReadyCount { get; }

    public Histogram ColdStart { get; }

    /// <summary>The labelled children of one function, created once and then found without allocating.</summary>
    public FunctionMetrics For(FunctionKey key) =>
        _functions.TryGetValue(key, out var found) ? found : _functions.GetOrAdd(key, k => new FunctionMetrics(this, k.ToString()));

    /// <summary>
    /// Drops every series of <paramref name="key"/>: for names the gateway answered 404 for (callers
    /// choose those names, so keeping them would grow without bound) and for removed functions.
    /// </summary>
    public void Forget(FunctionKey key)
    {
        if (!_functions.TryRemove(key, out var function))
        {
            return;
        }

        Started.RemoveLabelled(function.Qualified);
        InFlight.RemoveLabelled(function.Qualified);
        ColdStart.RemoveLabelled(function.Qualified);
        foreach (var code in function.Codes)
        {
            Invocations.RemoveLabelled(function.Qualified, code);
            Duration.RemoveLabelled(function.Qualified, code);
        }
    }

    /// <summary>Sets the replica gauges from <paramref name="table"/> (called before every scrape).</summary>
    public void RefreshReplicaGauges(RoutingTable table)
    {
        // Series of functions that are no longer deployed go with them.
        foreach (var key in _functions.Keys)
        {
            if (!table.TryGet(key, out _))
            {
                Forget(key);
            }
        }

        ServiceCount.RemoveAllLabelled();
        ServiceReadyCount.RemoveAllLabelled();
        foreach (var route in table.Routes.Values)
        {
            ServiceCount.WithLabels(route.Qualified).Set(route.DesiredReplicas);
            ServiceReadyCount.WithLabels(route.Qualified).Set(route.Ready.Length);
        }
    }
}

/// <summary>Cached children of <see cref="GatewayMetrics"/> for one function.</summary>
public sealed class FunctionMetrics
{
    private readonly GatewayMetrics _metrics;
    private readonly ConcurrentDictionary<int, (Counter.Child Total, Histogram.Child Seconds)> _byCode = new();

    internal FunctionMetrics(GatewayMetrics metrics, string qualified)
    {
        _metrics = metrics;
        Qualified = qualified;
        Started = metrics.Started.WithLabels(qualified);
        InFlight = metrics.InFlight.WithLabels(qualified);
        ColdStart = metrics.ColdStart.WithLabels(qualified);
    }

    public string Qualified { get; }

    public Counter.Child Started { get; }

    public Gauge.Child InFlight { get; }

    public Histogram.Child ColdStart { get; }

    /// <summary>The status codes recorded so far, as label values.</summary>
    internal IEnumerable<string> Codes =>
        _byCode.Keys.Select(code => code.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Counts a finished call with the status written and its duration.</summary>
    public void Completed(int statusCode, TimeSpan duration)
    {
        if (!_byCode.TryGetValue(statusCode, out var children))
        {
            children = _byCode.GetOrAdd(statusCode, code =>
            {
                var text = code.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return (_metrics.Invocations.WithLabels(Qualified, text), _metrics.Duration.WithLabels(Qualified, text));
            });
        }

        children.Total.Inc();
        children.Seconds.Observe(duration.TotalSeconds);
    }
}

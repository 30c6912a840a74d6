using Faas.Prometheus.Query;

namespace Faas.Controller.Autoscaling;

/// <summary>Load from the gateway's (rps, capacity) and the controller's (cpu) metrics in Prometheus (names in <c>openfaas-reference.md</c> §6.1).</summary>
public sealed class PrometheusLoadSource(PrometheusQueryClient prometheus) : ILoadSource
{
    /// <summary>
    /// The PromQL for a function's load. cpu is milli-CPU summed over the replicas, as OpenFaaS Pro
    /// (§5.4), from the controller's per-replica CPU counter; 1000 = one core busy.
    /// </summary>
    public static string? Query(ScalingType type, string qualifiedName) => type switch
    {
        ScalingType.Rps => $"sum(rate(gateway_function_invocation_total{{function_name=\"{qualifiedName}\"}}[10s]))",
        ScalingType.Capacity => $"sum(gateway_function_invocation_inflight{{function_name=\"{qualifiedName}\"}})",
        ScalingType.Cpu => $"sum(rate({FunctionCpuMetrics.MetricName}{{function_name=\"{qualifiedName}\"}}[10s])) * 1000",
        _ => null,
    };

    public async Task<double?> GetLoadAsync(ScalingType type, string qualifiedName, CancellationToken cancellationToken = default)
    {
        if (Query(type, qualifiedName) is not { } query)
        {
            return null;
        }

        var result = await prometheus.QueryAsync(query, cancellationToken: cancellationToken).ConfigureAwait(false);
        return result switch
        {
            // No series yet (never called): no load.
            InstantVector { Samples.Count: 0 } => 0,
            InstantVector vector => vector.Samples[0].Value,
            Scalar scalar => scalar.Value,
            // sum() always answers a vector; anything else is not a load we understand.
            _ => null,
        };
    }
}

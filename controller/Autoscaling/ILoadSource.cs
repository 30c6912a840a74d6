namespace Faas.Controller.Autoscaling;

/// <summary>Where the autoscaler reads a function's current load.</summary>
public interface ILoadSource
{
    /// <summary>
    /// The load of <paramref name="qualifiedName"/> (<c>name.namespace</c>) in the unit of
    /// <paramref name="type"/>; null when this type cannot be measured here.
    /// Throws <see cref="Faas.Prometheus.Query.PrometheusQueryException"/> when the source fails.
    /// </summary>
    Task<double?> GetLoadAsync(ScalingType type, string qualifiedName, CancellationToken cancellationToken = default);
}

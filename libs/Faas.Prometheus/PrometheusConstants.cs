namespace Faas.Prometheus;

public static class PrometheusConstants
{
    /// <summary>The Content-Type of a <c>/metrics</c> response written by <see cref="CollectorRegistry"/>.</summary>
    public const string ExporterContentType = "text/plain; version=0.0.4; charset=utf-8";
}

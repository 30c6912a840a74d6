using Faas.Contracts.Time;
using Faas.Controller.Configuration;

namespace Faas.Controller.Autoscaling;

/// <summary>
/// Autoscaler settings (<c>prometheus_url</c>, <c>autoscaler_interval</c>, <c>gateway_metrics_target</c>),
/// read apart from <see cref="ControllerOptions"/> so this feature stays in its folder.
/// </summary>
public sealed record AutoscalerOptions
{
    public const string PrometheusUrlKey = "prometheus_url";
    public const string IntervalKey = "autoscaler_interval";
    public const string GatewayMetricsTargetKey = "gateway_metrics_target";
    public const string ControllerMetricsTargetKey = "controller_metrics_target";

    /// <summary>Null: the autoscaler is off.</summary>
    public Uri? PrometheusUrl { get; init; }

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary><c>host:port</c> of the gateway's metrics listener, written into the generated prometheus.yml.</summary>
    public string GatewayMetricsTarget { get; init; } = "127.0.0.1:8082";

    /// <summary>
    /// <c>host:port</c> of the controller's own <c>/metrics</c> (replica CPU, for the cpu type);
    /// defaults to 127.0.0.1 and the controller's <c>port</c>; null (no scrape job) when that port is 0.
    /// </summary>
    public string? ControllerMetricsTarget { get; init; } = "127.0.0.1:8081";

    public bool Enabled => PrometheusUrl is not null;

    /// <summary>Throws <see cref="ControllerOptionsException"/> listing every invalid key.</summary>
    public static AutoscalerOptions Load(IConfiguration configuration)
    {
        var errors = new List<string>();
        var defaults = new AutoscalerOptions();

        Uri? url = null;
        if (Read(configuration, PrometheusUrlKey) is { } urlText
            && (!Uri.TryCreate(urlText, UriKind.Absolute, out url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add($"{PrometheusUrlKey} '{urlText}' is invalid: use an absolute http(s) URL such as http://127.0.0.1:9090");
            url = null;
        }

        var interval = defaults.Interval;
        if (Read(configuration, IntervalKey) is { } intervalText
            && (!GoDuration.TryParse(intervalText, out interval) || interval < TimeSpan.FromMilliseconds(100) || interval > TimeSpan.FromMinutes(1)))
        {
            errors.Add($"{IntervalKey} '{intervalText}' is invalid: use seconds or a Go duration from 100ms to 1m");
        }

        var target = Read(configuration, GatewayMetricsTargetKey) ?? defaults.GatewayMetricsTarget;
        if (!IsHostPort(target))
        {
            errors.Add($"{GatewayMetricsTargetKey} '{target}' is invalid: use host:port such as 127.0.0.1:8082");
        }

        string? controllerTarget = Read(configuration, ControllerMetricsTargetKey);
        if (controllerTarget is null)
        {
            var port = Read(configuration, "port") ?? "8081";
            controllerTarget = port == "0" ? null : "127.0.0.1:" + port;
        }
        else if (!IsHostPort(controllerTarget))
        {
            errors.Add($"{ControllerMetricsTargetKey} '{controllerTarget}' is invalid: use host:port such as 127.0.0.1:8081");
        }

        if (errors.Count > 0)
        {
            throw new ControllerOptionsException(errors);
        }

        return new AutoscalerOptions { PrometheusUrl = url, Interval = interval, GatewayMetricsTarget = target, ControllerMetricsTarget = controllerTarget };
    }

    private static bool IsHostPort(string text) =>
        Uri.TryCreate("http://" + text, UriKind.Absolute, out var parsed) && !parsed.IsDefaultPort && parsed.AbsolutePath == "/";

    private static string? Read(IConfiguration configuration, string key)
    {
        var value = configuration[key];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}

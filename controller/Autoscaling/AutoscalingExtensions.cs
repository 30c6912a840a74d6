using Faas.Prometheus;
using Faas.Prometheus.Query;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Faas.Controller.Autoscaling;

public static class AutoscalingExtensions
{
    /// <summary>
    /// Always writes <c>&lt;state_dir&gt;/prometheus.yml</c>; runs the autoscaler loop only when
    /// <c>prometheus_url</c> is set. Call after <c>AddControllerOptions</c> and the backend.
    /// </summary>
    public static WebApplicationBuilder AddAutoscaling(this WebApplicationBuilder builder)
    {
        var options = AutoscalerOptions.Load(builder.Configuration);
        builder.Services.AddSingleton(options);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<PrometheusConfigWriter>();
        builder.Services.AddSingleton<FunctionCpuMetrics>();
        if (options.PrometheusUrl is { } url)
        {
            builder.Services.TryAddSingleton<ILoadSource>(_ =>
                new PrometheusLoadSource(new PrometheusQueryClient(new HttpClient { Timeout = TimeSpan.FromSeconds(5) }, url)));
            builder.Services.AddHostedService<AutoscalerService>();
        }

        return builder;
    }

    /// <summary><c>GET /metrics</c>: the replicas' CPU time for the cpu scaling type (no auth, like <c>/healthz</c>).</summary>
    public static WebApplication MapFunctionCpuMetrics(this WebApplication app)
    {
        app.MapGet(FunctionCpuMetrics.Path, async (FunctionCpuMetrics metrics, HttpContext context) =>
        {
            context.Response.ContentType = PrometheusConstants.ExporterContentType;
            await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        });
        return app;
    }
}

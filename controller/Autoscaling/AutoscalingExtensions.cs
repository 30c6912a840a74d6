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
        if (options.PrometheusUrl is { } url)
        {
            builder.Services.TryAddSingleton<ILoadSource>(_ =>
                new PrometheusLoadSource(new PrometheusQueryClient(new HttpClient { Timeout = TimeSpan.FromSeconds(5) }, url)));
            builder.Services.AddHostedService<AutoscalerService>();
        }

        return builder;
    }
}

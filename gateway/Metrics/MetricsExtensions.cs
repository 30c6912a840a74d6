using Faas.Gateway.Configuration;
using Faas.Gateway.Endpoints;
using Faas.Prometheus;
using Faas.Prometheus.Query;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Faas.Gateway.Metrics;

public static class MetricsExtensions
{
    private static readonly PathString MetricsPath = new("/metrics");
    private static readonly PathString HealthPath = new("/healthz");

    /// <summary>
    /// The metrics (own registry), the <c>metrics_port</c> listener on the gateway's bind address,
    /// and the Prometheus client for invocation counts when <c>prometheus_url</c> or
    /// <c>faas_prometheus_host</c> is set. Call after <c>AddGatewayOptions</c>.
    /// </summary>
    public static WebApplicationBuilder AddGatewayMetrics(this WebApplicationBuilder builder)
    {
        var listener = new MetricsListener();
        builder.Services.AddSingleton(listener);
        builder.Services.AddSingleton(services =>
        {
            var metrics = new GatewayMetrics(new CollectorRegistry());
            var endpoints = services.GetRequiredService<EndpointTable>();
            metrics.Registry.AddBeforeCollectCallback(() => metrics.RefreshReplicaGauges(endpoints.Current));
            return metrics;
        });
        builder.Services.AddSingleton<InvocationCounts>();
        builder.Services.AddSingleton(services =>
        {
            var url = services.GetRequiredService<GatewayOptions>().PrometheusUrl
                ?? throw new InvalidOperationException("Prometheus is not configured");
            return new PrometheusQueryClient(new HttpClient { Timeout = TimeSpan.FromSeconds(5) }, url);
        });

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var options = kestrel.ApplicationServices.GetRequiredService<GatewayOptions>();
            Action<ListenOptions> bound = listener.Bound;
            if (options.ParsedBindAddress is { } address)
            {
                kestrel.Listen(address, options.MetricsPort, bound);
            }
            else
            {
                kestrel.ListenLocalhost(options.MetricsPort, bound);
            }
        });
        return builder;
    }

    /// <summary>
    /// Answers every request that arrived on the metrics port: <c>GET /metrics</c> (text
    /// exposition), <c>/healthz</c>, anything else 404. Other ports pass through. Place it first.
    /// </summary>
    public static IApplicationBuilder UseMetricsListener(this IApplicationBuilder app)
    {
        var listener = app.ApplicationServices.GetRequiredService<MetricsListener>();
        var registry = app.ApplicationServices.GetRequiredService<GatewayMetrics>().Registry;
        return app.Use(async (context, next) =>
        {
            if (context.Connection.LocalPort != listener.Port)
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            var response = context.Response;
            if (context.Request.Path == MetricsPath && HttpMethods.IsGet(context.Request.Method))
            {
                response.ContentType = PrometheusConstants.ExporterContentType;
                await registry.CollectAndExportAsTextAsync(response.Body, context.RequestAborted).ConfigureAwait(false);
            }
            else if (context.Request.Path == HealthPath)
            {
                response.ContentType = "text/plain; charset=utf-8";
                await response.WriteAsync("OK", context.RequestAborted).ConfigureAwait(false);
            }
            else
            {
                response.StatusCode = StatusCodes.Status404NotFound;
            }
        });
    }

    /// <summary><c>GET /system/functions</c> with invocation counts, only when Prometheus is configured.</summary>
    public static IEndpointRouteBuilder MapInvocationCounts(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetRequiredService<GatewayOptions>().PrometheusUrl is not null)
        {
            var handler = app.ServiceProvider.GetRequiredService<InvocationCounts>();
            app.MapGet("/system/functions", (RequestDelegate)handler.HandleAsync);
        }

        return app;
    }
}

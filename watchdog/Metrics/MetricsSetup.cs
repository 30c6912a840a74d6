using Faas.Prometheus;
using Faas.Watchdog.Configuration;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Faas.Watchdog.Metrics;

/// <summary>
/// <c>GET /metrics</c> on its own listener (<c>metrics_port</c>, default 8081 as of-watchdog; 0 = off),
/// and the recording of every function call (the <c>/_/</c> probes are not counted).
/// </summary>
internal static class MetricsSetup
{
    private static readonly PathString MetricsPath = new("/metrics");
    private static readonly PathString ProbePrefix = new("/_");

    public static WebApplicationBuilder AddWatchdogMetrics(this WebApplicationBuilder builder, WatchdogOptions options)
    {
        if (options.MetricsPort == 0)
        {
            return builder;
        }

        var listener = new MetricsListener();
        builder.Services.AddSingleton(listener);
        builder.Services.AddSingleton(new WatchdogMetrics(new CollectorRegistry()));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(options.BindAddress, options.MetricsPort, listener.Bound));
        return builder;
    }

    /// <summary>Place before the probes: answers the metrics port, records calls on the main one.</summary>
    public static WebApplication UseWatchdogMetrics(this WebApplication app)
    {
        if (app.Services.GetService<MetricsListener>() is not { } listener)
        {
            return app;
        }

        var metrics = app.Services.GetRequiredService<WatchdogMetrics>();
        var time = TimeProvider.System;
        app.Use(async (context, next) =>
        {
            if (context.Connection.LocalPort == listener.Port)
            {
                if (context.Request.Path == MetricsPath && HttpMethods.IsGet(context.Request.Method))
                {
                    context.Response.ContentType = PrometheusConstants.ExporterContentType;
                    await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
                }
                else
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                }

                return;
            }

            if (context.Request.Path.StartsWithSegments(ProbePrefix))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            var started = time.GetTimestamp();
            metrics.InFlight.Inc();
            try
            {
                await next(context).ConfigureAwait(false);
            }
            finally
            {
                metrics.InFlight.Dec();
                metrics.Completed(context.Response.StatusCode, context.Request.Method, time.GetElapsedTime(started));
            }
        });
        return app;
    }
}

/// <summary>The metrics listener; its bound port tells metrics requests from function calls.</summary>
internal sealed class MetricsListener
{
    private ListenOptions? _options;

    public int Port => (_options?.IPEndPoint?.Port) ?? -1;

    public void Bound(ListenOptions options) => _options = options;
}

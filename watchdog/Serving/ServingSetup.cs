using Faas.Function;
using Faas.Watchdog.Configuration;
using Faas.Watchdog.Handlers;

namespace Faas.Watchdog.Serving;

internal static class ServingSetup
{
    /// <summary>Kestrel on <c>bind_address:port</c> with the body and header limits, and the drain deadline.</summary>
    public static WebApplicationBuilder AddWatchdogServer(this WebApplicationBuilder builder, WatchdogOptions options)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBody;
            kestrel.Limits.RequestHeadersTimeout = options.ReadTimeout;
            kestrel.Listen(options.BindAddress, options.Port);
        });

        // The whole stop (unready period + drain) must fit in the host's shutdown timeout.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.HealthcheckInterval + options.WriteTimeout);
        return builder;
    }

    public static IServiceCollection AddWatchdogServing(this IServiceCollection services, WatchdogOptions options, FunctionEnvironment environment, LoadedHandler handler)
    {
        services.AddSingleton(options);
        services.AddSingleton(environment);
        services.AddSingleton(handler);
        services.AddSingleton(new ConcurrencyLimiter(options.MaxInflight));
        services.AddSingleton<ReplicaStatus>();
        services.AddSingleton<FunctionEndpoint>();
        services.AddKeyedSingleton(ReplicaLifecycle.ClockKey, TimeProvider.System);
        services.AddHostedService<ReplicaLifecycle>();
        services.AddHostedService<Modes.ModeSupervision>();
        return services;
    }

    /// <summary>The probes first, then the handler for every other path and method.</summary>
    public static WebApplication MapWatchdog(this WebApplication app)
    {
        app.UseMiddleware<ProbeMiddleware>();
        app.Run(app.Services.GetRequiredService<FunctionEndpoint>().InvokeAsync);
        return app;
    }
}

using Faas.Gateway.Async;
using Faas.Gateway.Auth;
using Faas.Gateway.Configuration;
using Faas.Gateway.Endpoints;
using Faas.Gateway.Health;
using Faas.Gateway.Invoke;
using Faas.Gateway.Metrics;
using Faas.Gateway.SystemApi;

try
{
    await Program.Build(args).RunAsync();
    return 0;
}
catch (GatewayOptionsException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}

/// <summary>The gateway: the public entry point for invocations and the system API.</summary>
public partial class Program
{
    /// <summary>
    /// Builds the gateway. <paramref name="configure"/> runs first, so tests can add configuration
    /// (e.g. <c>port=0</c>) or replace services before the options are read.
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("Yarp", LogLevel.Warning);
        configure?.Invoke(builder);

        builder.AddGatewayOptions();
        builder.AddAsync();
        builder.AddGatewayMetrics();
        builder.Services
            .AddBasicAuth()
            .AddEndpointTable()
            .AddInvoke()
            .AddSystemApi();

        var app = builder.Build();
        app.UseMetricsListener();
        app.UseBasicAuth();
        app.MapHealth();
        if (app.IsQueueWorkerOnly())
        {
            // role=queue-worker: only the worker and /healthz.
            return app;
        }

        app.MapInvoke();
        app.MapInvocationCounts();
        app.MapAsync();
        app.MapSystemApi();
        return app;
    }
}

using Faas.Function;
using Faas.Watchdog.Configuration;
using Faas.Watchdog.Handlers;
using Faas.Watchdog.Logging;
using Faas.Watchdog.Metrics;
using Faas.Watchdog.Modes;
using Faas.Watchdog.Serving;

namespace Faas.Watchdog;

/// <summary>
/// Builds and runs a watchdog: the process inside every function replica that loads the compiled
/// handler in-process and serves it over HTTP.
/// </summary>
public static class WatchdogApp
{
    /// <summary>
    /// Builds the watchdog from a configuration dictionary. The handler is <paramref name="handlerType"/>
    /// when given, else found in <c>handler_assembly</c>. Throws <see cref="WatchdogStartupException"/>
    /// listing what is wrong. <paramref name="configure"/> runs last before the app is built (tests add loggers).
    /// </summary>
    public static WebApplication Build(
        IReadOnlyDictionary<string, string> config,
        Type? handlerType = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        var options = WatchdogOptions.Parse(config);
        var environment = CreateEnvironment(options, config);
        if (options.Mode != WatchdogMode.InProc)
        {
            // http and streaming run fprocess instead of loading a C# handler.
            return Build(options, environment, ModeRunner.Create(options), configure);
        }

        var type = handlerType ?? HandlerDiscovery.FindInAssembly(options.HandlerAssembly, options.HandlerType);
        return Build(options, environment, LoadedHandler.Create(type, environment), configure);
    }

    /// <summary>Builds the watchdog around an existing handler object (embedding, tests).</summary>
    public static WebApplication BuildWithHandler(
        IReadOnlyDictionary<string, string> config,
        object handler,
        Action<WebApplicationBuilder>? configure = null)
    {
        var options = WatchdogOptions.Parse(config);
        return Build(options, CreateEnvironment(options, config), LoadedHandler.FromInstance(handler), configure);
    }

    /// <summary>Builds, serves until SIGTERM and drains. Returns the process exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken = default)
    {
        WebApplication app;
        try
        {
            app = Build(config);
        }
        catch (WatchdogStartupException e)
        {
            await Console.Error.WriteLineAsync($"watchdog: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        return await RunAsync(app, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Serves a built watchdog until stopped (RunAsync disposes it); 1 when the handler's initializer failed.</summary>
    internal static async Task<int> RunAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        // RunAsync disposes the app (and its services) when it returns.
        var status = app.Services.GetRequiredService<ReplicaStatus>();
        try
        {
            await app.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The drain deadline (write_timeout) passed with calls still running; they were aborted.
        }

        return status.State == ReplicaState.Failed ? 1 : 0;
    }

    private static FunctionEnvironment CreateEnvironment(WatchdogOptions options, IReadOnlyDictionary<string, string> config) =>
        new(options.FunctionName, options.FunctionNamespace, config, new FileSecretStore(options.SecretsPath));

    private static WebApplication Build(WatchdogOptions options, FunctionEnvironment environment, LoadedHandler handler, Action<WebApplicationBuilder>? configure)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(WatchdogApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.AddWatchdogLogging(options);
        builder.AddWatchdogServer(options);
        builder.AddWatchdogMetrics(options);
        builder.Services.AddWatchdogServing(options, environment, handler);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseWatchdogMetrics();
        app.MapWatchdog();
        return app;
    }
}

using Faas.Watchdog.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Faas.Watchdog.Tests.Support;

/// <summary>A watchdog on a real Kestrel at 127.0.0.1:&lt;ephemeral&gt;, with an HttpClient for it; always stopped on dispose.</summary>
public sealed class TestWatchdog : IAsyncDisposable
{
    private TestWatchdog(WebApplication app, ListLoggerProvider logs)
    {
        App = app;
        Logs = logs;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public ListLoggerProvider Logs { get; }

    internal ReplicaStatus Status => App.Services.GetRequiredService<ReplicaStatus>();

    /// <summary>Configuration every test starts from: ephemeral loopback port, no unready delay on stop.</summary>
    public static Dictionary<string, string> Config(params (string Key, string Value)[] overrides)
    {
        var config = new Dictionary<string, string>
        {
            ["port"] = "0",
            ["metrics_port"] = "0",
            ["bind_address"] = "127.0.0.1",
            ["function_name"] = "test-fn",
            ["healthcheck_interval"] = "0",
            ["write_timeout"] = "5s",
            ["secrets_path"] = Path.Combine(Path.GetTempPath(), "faas-watchdog-tests-no-secrets"),
        };
        foreach (var (key, value) in overrides)
        {
            config[key] = value;
        }

        return config;
    }

    public static Task<TestWatchdog> StartAsync(object handler, params (string Key, string Value)[] config) =>
        StartAsync(logs => WatchdogApp.BuildWithHandler(Config(config), handler, b => b.Logging.AddProvider(logs)), waitReady: true);

    /// <summary>Like <see cref="StartAsync(object, (string, string)[])"/>, with the unready period after a stop timed by <paramref name="clock"/>.</summary>
    public static Task<TestWatchdog> StartAsync(object handler, TimeProvider clock, params (string Key, string Value)[] config) =>
        StartAsync(
            logs => WatchdogApp.BuildWithHandler(Config(config), handler, b =>
            {
                b.Logging.AddProvider(logs);
                b.Services.AddKeyedSingleton(ReplicaLifecycle.ClockKey, clock);
            }),
            waitReady: true);

    /// <summary>Polls <paramref name="path"/> until it answers <paramref name="status"/>.</summary>
    public async Task<HttpResponseMessage> WaitForAsync(string path, System.Net.HttpStatusCode status)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var response = await Client.GetAsync(path, deadline.Token);
            if (response.StatusCode == status)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(10, deadline.Token);
        }
    }

    public static Task<TestWatchdog> StartAsync(Type handlerType, params (string Key, string Value)[] config) =>
        StartAsync(logs => WatchdogApp.Build(Config(config), handlerType, b => b.Logging.AddProvider(logs)), waitReady: true);

    public static async Task<TestWatchdog> StartAsync(Func<ListLoggerProvider, WebApplication> build, bool waitReady)
    {
        var logs = new ListLoggerProvider();
        var app = build(logs);
        await app.StartAsync();
        var watchdog = new TestWatchdog(app, logs);
        if (waitReady)
        {
            await watchdog.Status.WhenReady.WaitAsync(TimeSpan.FromSeconds(10));
        }

        return watchdog;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await App.StopAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            // Calls a test left hanging were aborted.
        }

        await App.DisposeAsync();
    }
}

using Faas.Gateway.Endpoints;
using Microsoft.Extensions.Configuration;

namespace Faas.Gateway.Tests.Fakes;

/// <summary>The real gateway (<see cref="Program.Build"/>) on Kestrel at 127.0.0.1 and an ephemeral port.</summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private GatewayHost(WebApplication app, string url)
    {
        App = app;
        Url = url;
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(url),
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public WebApplication App { get; }

    public string Url { get; }

    public HttpClient Client { get; }

    public EndpointTable Table => App.Services.GetRequiredService<EndpointTable>();

    /// <summary>Base URL of the separate metrics listener (<c>metrics_port</c>).</summary>
    public string MetricsUrl => $"http://127.0.0.1:{App.Services.GetRequiredService<Faas.Gateway.Metrics.MetricsListener>().Port}";

    public static async Task<GatewayHost> StartAsync(string providerUrl, IReadOnlyDictionary<string, string?>? settings = null, EndpointStreamSettings? stream = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["port"] = "0",
            ["metrics_port"] = "0",
            ["bind_address"] = "127.0.0.1",
            ["functions_provider_url"] = providerUrl,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var app = Program.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(configuration);
            builder.Logging.ClearProviders();
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
            builder.Services.AddSingleton(stream ?? new EndpointStreamSettings { MinBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(200) });
        });
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new GatewayHost(app, LocalServer.AddressOf(app));
    }

    /// <summary>Waits until the routing table satisfies <paramref name="condition"/> (fails after 10 s).</summary>
    public async Task WaitForTableAsync(Func<RoutingTable, bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var changed = Table.Changed;
            if (condition(Table.Current))
            {
                return;
            }

            await changed.WaitAsync(timeout.Token);
        }
    }

    /// <summary>Waits until <paramref name="name"/> has <paramref name="ready"/> ready replicas in the table.</summary>
    public Task WaitForReadyAsync(string name, int ready = 1, string @namespace = "openfaas-fn") =>
        WaitForTableAsync(t => t.TryGet(new FunctionKey(name, @namespace), out var route) && route.Ready.Length == ready);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await App.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Dispose below still releases the port.
        }

        await App.DisposeAsync();
    }
}

using Faas.Testing.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Faas.Gateway.Tests.Fakes;

/// <summary>A small Kestrel app on 127.0.0.1 and an ephemeral port, for fakes of the controller and replicas.</summary>
public sealed class LocalServer : IAsyncDisposable
{
    private LocalServer(WebApplication app, string url)
    {
        App = app;
        Url = url;
    }

    public WebApplication App { get; }

    /// <summary>Base URL without a trailing slash, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url { get; }

    /// <summary>Fires when the server stops; long-running fake handlers end on it.</summary>
    public CancellationToken Stopping => App.Lifetime.ApplicationStopping;

    public static async Task<LocalServer> StartAsync(Action<WebApplication> map, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return new LocalServer(app, AddressOf(app));
    }

    /// <summary>The bound address of a started app listening on port 0.</summary>
    public static string AddressOf(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');

    /// <summary>A loopback URL nothing listens on.</summary>
    public static string ClosedPortUrl() => $"http://127.0.0.1:{ClosedPort()}";

    /// <summary>A loopback port nothing listens on and no other test takes (also for a server a test starts later).</summary>
    public static int ClosedPort() => TestPorts.Next();

    public async ValueTask DisposeAsync()
    {
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

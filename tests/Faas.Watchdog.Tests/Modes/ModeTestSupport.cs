using System.Net;
using Faas.Testing.Net;
using Faas.Watchdog.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Faas.Watchdog.Tests.Modes;

internal static class ModeTestSupport
{
    /// <summary>A watchdog built from configuration (process modes), started on an ephemeral port.</summary>
    public static Task<TestWatchdog> StartAsync(bool waitReady, params (string Key, string Value)[] config) =>
        TestWatchdog.StartAsync(logs => WatchdogApp.Build(TestWatchdog.Config(config), configure: b => b.Logging.AddProvider(logs)), waitReady);

    public static int FreePort() => TestPorts.Next();

    /// <summary>A tiny Kestrel app standing in for a function's own HTTP server (the http mode's upstream).</summary>
    public static async Task<WebApplication> StartUpstreamAsync(int port, RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        return app;
    }
}

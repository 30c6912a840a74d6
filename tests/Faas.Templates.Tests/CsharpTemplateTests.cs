using System.Net;
using Faas.Watchdog.Handlers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using TemplateHandler = global::Function.Handler;

namespace Faas.Templates.Tests;

/// <summary>The csharp template's handler as the watchdog sees it: discovered by scanning, then served.</summary>
public class CsharpTemplateTests
{
    [Fact]
    public void TemplateHandler_IsTheOneHandlerTheWatchdogDiscovers()
    {
        var found = HandlerDiscovery.Select(typeof(TemplateHandler).Assembly.GetExportedTypes(), handlerType: null, "Function.dll");

        Assert.Equal(typeof(TemplateHandler), found);
        Assert.Equal("Function.Handler", found.FullName);
    }

    [Fact]
    public async Task TemplateHandler_ServedByTheWatchdog_GreetsTheCaller()
    {
        var config = new Dictionary<string, string>
        {
            ["port"] = "0",
            ["metrics_port"] = "0",
            ["bind_address"] = "127.0.0.1",
            ["function_name"] = "hello",
            ["healthcheck_interval"] = "0",
        };
        var app = Faas.Watchdog.WatchdogApp.Build(config, typeof(TemplateHandler));
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            using var client = new HttpClient { BaseAddress = new Uri(address) };
            await WaitReadyAsync(client);

            using var response = await client.PostAsync("/", new StringContent("World\n"));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("Hello, World", await response.Content.ReadAsStringAsync());
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static async Task WaitReadyAsync(HttpClient client)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            using var ready = await client.GetAsync("/_/ready");
            if (ready.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            await Task.Delay(25);
        }

        Assert.Fail("the watchdog did not become ready");
    }
}

using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Faas.Watchdog.Tests.Modes;

/// <summary><c>mode=http</c>: fprocess started once, calls proxied to <c>upstream_url</c>.</summary>
public class HttpModeTests
{
    [Fact]
    public async Task Calls_AreProxiedWithPathQueryHeadersBodyAndStatus()
    {
        var port = ModeTestSupport.FreePort();
        await using var upstream = await ModeTestSupport.StartUpstreamAsync(port, async http =>
        {
            var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
            http.Response.StatusCode = 201;
            http.Response.Headers["X-Upstream"] = "yes";
            http.Response.ContentType = "text/plain";
            await http.Response.WriteAsync($"{http.Request.Method} {http.Request.Path}{http.Request.QueryString} {http.Request.Headers["X-Custom"]} {body}");
        });
        await using var watchdog = await ModeTestSupport.StartAsync(true, ("mode", "http"), ("fprocess", "sleep 600"), ("upstream_url", $"http://127.0.0.1:{port}"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/a/b?x=1") { Content = new StringContent("payload") };
        request.Headers.Add("X-Custom", "c");

        using var response = await watchdog.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("yes", response.Headers.GetValues("X-Upstream").Single());
        Assert.Equal("POST /a/b?x=1 c payload", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task FunctionProcess_IsTheUpstream()
    {
        var port = ModeTestSupport.FreePort();
        var root = Directory.CreateTempSubdirectory("faas-http-mode-").FullName;
        await File.WriteAllTextAsync(Path.Combine(root, "index.html"), "served by busybox");
        await using var watchdog = await ModeTestSupport.StartAsync(true, ("mode", "http"),
            ("fprocess", $"exec busybox httpd -f -p 127.0.0.1:{port} -h {root}"), ("upstream_url", $"http://127.0.0.1:{port}"));

        using var response = await watchdog.Client.GetAsync("/index.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("served by busybox", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UpstreamDown_Is502FromTheWatchdog()
    {
        var port = ModeTestSupport.FreePort();
        var upstream = await ModeTestSupport.StartUpstreamAsync(port, http => http.Response.WriteAsync("up"));
        await using var watchdog = await ModeTestSupport.StartAsync(true, ("mode", "http"), ("fprocess", "sleep 600"), ("upstream_url", $"http://127.0.0.1:{port}"));
        await upstream.StopAsync();
        await upstream.DisposeAsync();

        using var response = await watchdog.Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("of-watchdog", response.Headers.GetValues("X-OpenFaaS-Internal").Single());
    }

    [Fact]
    public async Task ExecTimeout_Is504()
    {
        var port = ModeTestSupport.FreePort();
        await using var upstream = await ModeTestSupport.StartUpstreamAsync(port, async http =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), http.RequestAborted);
        });
        await using var watchdog = await ModeTestSupport.StartAsync(true, ("mode", "http"), ("fprocess", "sleep 600"),
            ("upstream_url", $"http://127.0.0.1:{port}"), ("exec_timeout", "500ms"));
        var clock = Stopwatch.StartNew();

        using var response = await watchdog.Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Replica_IsNotReadyUntilTheUpstreamListens()
    {
        var port = ModeTestSupport.FreePort();
        await using var watchdog = await ModeTestSupport.StartAsync(false, ("mode", "http"), ("fprocess", "sleep 600"), ("upstream_url", $"http://127.0.0.1:{port}"));

        using (var ready = await watchdog.Client.GetAsync("/_/ready"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        await using var upstream = await ModeTestSupport.StartUpstreamAsync(port, http => http.Response.WriteAsync("up"));
        await watchdog.Status.WhenReady.WaitAsync(TimeSpan.FromSeconds(10));
        using var response = await watchdog.Client.GetAsync("/");
        Assert.Equal("up", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ProcessExitingBeforeItListens_FailsTheReplica()
    {
        var port = ModeTestSupport.FreePort();
        await using var watchdog = await ModeTestSupport.StartAsync(false, ("mode", "http"), ("fprocess", "exit 3"), ("upstream_url", $"http://127.0.0.1:{port}"));

        await WaitForFailedAsync(watchdog);
    }

    [Fact]
    public async Task ProcessExitingLater_FailsTheReplicaAndStopsTheWatchdog()
    {
        var port = ModeTestSupport.FreePort();
        await using var upstream = await ModeTestSupport.StartUpstreamAsync(port, http => http.Response.WriteAsync("up"));
        await using var watchdog = await ModeTestSupport.StartAsync(true, ("mode", "http"), ("fprocess", "sleep 1"), ("upstream_url", $"http://127.0.0.1:{port}"));

        await WaitForFailedAsync(watchdog);
        var lifetime = (Microsoft.Extensions.Hosting.IHostApplicationLifetime)watchdog.App.Services.GetService(typeof(Microsoft.Extensions.Hosting.IHostApplicationLifetime))!;
        Assert.True(lifetime.ApplicationStopping.IsCancellationRequested);
    }

    private static async Task WaitForFailedAsync(Support.TestWatchdog watchdog)
    {
        var clock = Stopwatch.StartNew();
        while (watchdog.Status.State != Faas.Watchdog.Serving.ReplicaState.Failed)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"state is still {watchdog.Status.State}");
            await Task.Delay(50);
        }
    }
}

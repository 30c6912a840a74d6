using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Faas.Contracts.Functions;
using Faas.Controller.Backends.Docker;
using Faas.Testing.Docker;

namespace Faas.Controller.Tests.Backends.Docker;

/// <summary>
/// The Docker daemon goes away while functions run, and comes back. The test owns its daemon (a
/// private dockerd it stops and starts by PID), so no other test shares the outage.
/// </summary>
public sealed class DockerDaemonFaultTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    private readonly DockerDaemonFixture _daemon = DockerDaemonFixture.CreatePrivate();
    private string Image => $"faas-fault-test-httpd:{_daemon.RunId}";

    public async Task InitializeAsync()
    {
        await _daemon.InitializeAsync();
        await DockerBackendFixture.BuildHttpdImageAsync(_daemon, Image);
    }

    public Task DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task DaemonStopped_ChangesAre503_ReadsAnswer_AndTheBackendRecoversOnItsOwn()
    {
        var network = $"faas-f-{_daemon.RunId[..6]}";
        // The real configuration path: docker_host, no injected client.
        var app = Program.Build(["--port=0", "--backend=docker", $"--docker_host={_daemon.DockerHost}", $"--docker_network={network}", "--replica_drain_timeout=1s", "--Logging:LogLevel:Default=Warning"]);
        await app.StartAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };
            var backend = app.Services.GetRequiredService<DockerBackend>();

            // 1. A function runs and serves.
            using (var deploy = await client.PostAsJsonAsync("/system/functions", new FunctionDeployment { Service = "before", Image = Image }))
            {
                Assert.Equal(HttpStatusCode.Accepted, deploy.StatusCode);
            }

            var first = await WaitForServingAsync(backend, "before", except: null);

            // 2. The daemon stops: every change is 503 with a message, reads keep answering from memory.
            await _daemon.StopAsync();
            using (var deploy = await client.PostAsJsonAsync("/system/functions", new FunctionDeployment { Service = "during", Image = Image }))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, deploy.StatusCode);
                var message = await deploy.Content.ReadAsStringAsync();
                Assert.Contains("Docker daemon", message);
                Assert.Contains("unavailable", message);
            }

            using (var scale = await client.PostAsJsonAsync("/system/scale-function/before", new { serviceName = "before", replicas = 2 }))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, scale.StatusCode);
            }

            Assert.False(backend.IsAvailable);
            var listed = await client.GetFromJsonAsync<List<FunctionStatus>>("/system/functions");
            Assert.Equal("before", Assert.Single(listed!).Name);
            using (var get = await client.GetAsync("/system/function/before"))
            {
                Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            }

            // 3. The daemon returns: with no call to the controller, the backend notices, replaces the
            //    replica the daemon stopped on shutdown, and serves again.
            await _daemon.StartAgainAsync();
            await WaitForServingAsync(backend, "before", except: first);
            Assert.True(backend.IsAvailable);

            // 4. Changes work again.
            using (var deploy = await client.PostAsJsonAsync("/system/functions", new FunctionDeployment { Service = "after", Image = Image }))
            {
                Assert.Equal(HttpStatusCode.Accepted, deploy.StatusCode);
            }

            await WaitForServingAsync(backend, "after", except: null);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>Waits until the function has a ready replica other than <paramref name="except"/> that answers; returns the replica id.</summary>
    private async Task<string> WaitForServingAsync(DockerBackend backend, string name, string? except)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var endpoint = backend.Endpoints.Current.Functions.SingleOrDefault(f => f.Name == name)?.Endpoints.FirstOrDefault();
            var url = endpoint?.Url;
            if (endpoint is not null && endpoint.Replica != except)
            {
                try
                {
                    if (await http.GetStringAsync(url + "/") is var body && body.Trim() == "served")
                    {
                        return endpoint.Replica;
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException)
                {
                }
            }

            Assert.True(clock.Elapsed < Patience, $"{name} was not served within {Patience} (endpoint {url ?? "none"}). dockerd log:\n{_daemon.DaemonLogTail()}");
            await Task.Delay(100);
        }
    }
}

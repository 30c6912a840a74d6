using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Faas.Contracts.Functions;
using Faas.Contracts.Json;
using Faas.Controller.Autoscaling;
using Faas.Controller.Backends.Process;
using Faas.Controller.Endpoints;
using Faas.Controller.Tests.Fakes;

namespace Faas.Controller.Tests.Autoscaling;

/// <summary>The autoscaler loop inside the real controller (fake replicas) with a fake load source.</summary>
public sealed class AutoscalerServiceTests
{
    private sealed class FakeLoadSource : ILoadSource
    {
        public ConcurrentDictionary<string, double> Loads { get; } = new();

        public ConcurrentQueue<(ScalingType Type, string Function)> Calls { get; } = new();

        public Task<double?> GetLoadAsync(ScalingType type, string qualifiedName, CancellationToken cancellationToken = default)
        {
            Calls.Enqueue((type, qualifiedName));
            return Task.FromResult<double?>(Loads.GetValueOrDefault(qualifiedName));
        }
    }

    private static async Task<(WebApplication App, HttpClient Client, TempDir Dir)> StartAsync(FakeLoadSource loads, params string[] extra)
    {
        var dir = new TempDir();
        var launcher = new FakeReplicaLauncher();
        string[] args =
        [
            "--port=0",
            "--state_dir=" + dir.Combine("state"),
            "--artifact_store=" + dir.Combine("artifacts"),
            "--replica_drain_timeout=1s",
            "--Logging:LogLevel:Default=Warning",
            .. extra,
        ];
        var app = Program.Build(args, services =>
        {
            services.AddSingleton<IReplicaLauncher>(launcher);
            services.AddSingleton<IReplicaProbe>(new FakeReplicaProbe(launcher));
            services.AddSingleton(TestSupport.FastTimings);
            services.AddSingleton(new EndpointStreamOptions { HeartbeatInterval = TimeSpan.FromSeconds(5) });
            services.AddSingleton<ILoadSource>(loads);
        });
        await app.StartAsync();
        return (app, new HttpClient { BaseAddress = new Uri(app.Urls.First()) }, dir);
    }

    private static async Task<FunctionStatus> GetAsync(HttpClient client, string name) =>
        (await client.GetFromJsonAsync($"/system/function/{name}", FaasJsonContext.Default.FunctionStatus))!;

    private static async Task DeployAsync(HttpClient client, TempDir dir, string name, string labels)
    {
        TestSupport.CreateArtifact(dir.Combine("artifacts"), name + ":1");
        using var content = new StringContent("{\"service\":\"" + name + "\",\"image\":\"" + name + ":1\",\"labels\":{" + labels + "}}", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/system/functions", content);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Loop_ScalesUpWithLoad_AndBackDown_ThroughTheBackend()
    {
        var loads = new FakeLoadSource();
        var (app, client, dir) = await StartAsync(loads, "--prometheus_url=http://127.0.0.1:1/", "--autoscaler_interval=100ms");
        try
        {
            // Short windows so the test runs in seconds: 10 per replica, 1 s stable window.
            await DeployAsync(client, dir, "auto", """
                "com.openfaas.scale.target":"10","com.openfaas.scale.target-proportion":"1","com.openfaas.scale.max":"5",
                "com.openfaas.scale.down.window":"1s","com.openfaas.scale.panic.window":"1s"
                """);
            await DeployAsync(client, dir, "fixed", "\"com.openfaas.scale.min\":\"2\",\"com.openfaas.scale.max\":\"2\"");

            loads.Loads["auto.openfaas-fn"] = 35;
            loads.Loads["fixed.openfaas-fn"] = 1000;
            await TestSupport.WaitUntilAsync(async () => (await GetAsync(client, "auto")).Replicas == 4, "auto scaled to 4");

            loads.Loads["auto.openfaas-fn"] = 1000;
            await TestSupport.WaitUntilAsync(async () => (await GetAsync(client, "auto")).Replicas == 5, "auto clamped to max 5");

            loads.Loads["auto.openfaas-fn"] = 0;
            await TestSupport.WaitUntilAsync(async () => (await GetAsync(client, "auto")).Replicas == 1, "auto back to min 1");

            Assert.Equal(2UL, (await GetAsync(client, "fixed")).Replicas);
            Assert.DoesNotContain(loads.Calls, c => c.Function == "fixed.openfaas-fn");
            Assert.Contains(loads.Calls, c => c == (ScalingType.Rps, "auto.openfaas-fn"));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            client.Dispose();
            dir.Dispose();
        }
    }

    [Fact]
    public async Task Loop_PausesAnIdleFunction_ResumesItForLoad_ThenTakesItToZero()
    {
        var loads = new FakeLoadSource();
        var (app, client, dir) = await StartAsync(loads, "--prometheus_url=http://127.0.0.1:1/", "--autoscaler_interval=100ms");
        try
        {
            var backend = app.Services.GetRequiredService<ProcessBackend>();
            await DeployAsync(client, dir, "dozy", """
                "com.openfaas.scale.zero":"true","com.openfaas.scale.zero-duration":"4s","com.openfaas.scale.pause-duration":"1s"
                """);
            await TestSupport.WaitUntilAsync(async () => (await GetAsync(client, "dozy")).AvailableReplicas == 1, "dozy is ready");
            loads.Loads["dozy.openfaas-fn"] = 0;

            await TestSupport.WaitUntilAsync(() => backend.IsPaused("dozy", "openfaas-fn") == true, "dozy is paused after 1 s idle");
            Assert.Equal(1UL, (await GetAsync(client, "dozy")).Replicas);

            // Load shows up (as if resumed by a call): the autoscaler resumes it.
            loads.Loads["dozy.openfaas-fn"] = 5;
            await TestSupport.WaitUntilAsync(() => backend.IsPaused("dozy", "openfaas-fn") == false, "dozy resumed for load");

            // Idle again: paused first, zero later.
            loads.Loads["dozy.openfaas-fn"] = 0;
            await TestSupport.WaitUntilAsync(() => backend.IsPaused("dozy", "openfaas-fn") == true, "dozy paused again");
            await TestSupport.WaitUntilAsync(async () => (await GetAsync(client, "dozy")).Replicas == 0, "dozy at zero after 4 s idle", TimeSpan.FromSeconds(20));
            Assert.False(backend.IsPaused("dozy", "openfaas-fn"));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            client.Dispose();
            dir.Dispose();
        }
    }

    [Fact]
    public async Task WithoutPrometheusUrl_NoLoop_ButThePrometheusConfigIsWritten()
    {
        var loads = new FakeLoadSource();
        var (app, client, dir) = await StartAsync(loads, "--gateway_metrics_target=127.0.0.1:18082");
        try
        {
            Assert.DoesNotContain(app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>(), s => s is AutoscalerService);
            var yaml = await File.ReadAllTextAsync(dir.Combine("state", "prometheus.yml"));
            Assert.Contains("targets: ['127.0.0.1:18082']", yaml);
            Assert.Contains("job_name: gateway", yaml);

            // Tests run the controller on port 0: no address to scrape, so no controller job.
            Assert.DoesNotContain("job_name: controller", yaml);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            client.Dispose();
            dir.Dispose();
        }
    }

    [Theory]
    [InlineData("--prometheus_url=ftp://x", "prometheus_url 'ftp://x'")]
    [InlineData("--autoscaler_interval=10m", "autoscaler_interval '10m'")]
    [InlineData("--gateway_metrics_target=nohost", "gateway_metrics_target 'nohost'")]
    public void InvalidAutoscalerOption_FailsStartUp_NamingTheKey(string arg, string expected)
    {
        using var dir = new TempDir();
        var error = Assert.Throws<Faas.Controller.Configuration.ControllerOptionsException>(() =>
            Program.Build(["--port=0", "--state_dir=" + dir.Combine("state"), arg]));

        Assert.Contains(expected, error.Message);
    }
}

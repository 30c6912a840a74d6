using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Faas.Contracts.Json;
using Faas.Controller.Autoscaling;
using Faas.Controller.Backends;
using Faas.Controller.Backends.Process;
using Faas.Controller.Endpoints;
using Faas.Controller.Tests.Fakes;
using Faas.Prometheus;
using Faas.Prometheus.Query;
using Faas.Testing.Prometheus;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Faas.Controller.Tests.Autoscaling;

/// <summary>
/// The whole chain with a real Prometheus: a stand-in for the gateway's metrics port, scraped by
/// Prometheus, read by the controller's autoscaler (real <see cref="Faas.Controller.Autoscaling.PrometheusLoadSource"/>).
/// </summary>
public sealed class AutoscalerPrometheusTests
{
    [Fact]
    public async Task CapacityLoadInPrometheus_ScalesTheFunction()
    {
        // The gateway's in-flight gauge, as the gateway would export it.
        var registry = new CollectorRegistry();
        var inflight = Faas.Prometheus.Metrics.WithCustomRegistry(registry)
            .CreateGauge("gateway_function_invocation_inflight", "in flight", "function_name");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var target = builder.Build();
        target.MapGet("/metrics", async (HttpContext context) =>
        {
            context.Response.ContentType = PrometheusConstants.ExporterContentType;
            await registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        });
        await target.StartAsync();
        var targetAddress = new Uri(target.Urls.First()).Authority;
        await using var prometheus = await PrometheusServer.StartAsync([targetAddress]);

        using var dir = new TempDir();
        var launcher = new FakeReplicaLauncher();
        await using var app = Program.Build(
            [
                "--port=0",
                "--state_dir=" + dir.Combine("state"),
                "--artifact_store=" + dir.Combine("artifacts"),
                "--replica_drain_timeout=1s",
                "--Logging:LogLevel:Default=Warning",
                "--prometheus_url=" + prometheus.BaseUri,
                "--autoscaler_interval=200ms",
            ],
            services =>
            {
                services.AddSingleton<IReplicaLauncher>(launcher);
                services.AddSingleton<IReplicaProbe>(new FakeReplicaProbe(launcher));
                services.AddSingleton(TestSupport.FastTimings);
                services.AddSingleton(new EndpointStreamOptions { HeartbeatInterval = TimeSpan.FromSeconds(5) });
            });
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        TestSupport.CreateArtifact(dir.Combine("artifacts"), "busy:1");
        using (var content = new StringContent(
            """{"service":"busy","image":"busy:1","labels":{"com.openfaas.scale.type":"capacity","com.openfaas.scale.target":"10","com.openfaas.scale.target-proportion":"1","com.openfaas.scale.down.window":"2s","com.openfaas.scale.panic.window":"1s"}}""",
            Encoding.UTF8, "application/json"))
        {
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/system/functions", content)).StatusCode);
        }

        inflight.WithLabels("busy.openfaas-fn").Set(55);

        await TestSupport.WaitUntilAsync(async () =>
            (await client.GetFromJsonAsync("/system/function/busy", FaasJsonContext.Default.FunctionStatus))!.Replicas == 6,
            "busy scaled to ceil(55 / 10) = 6 from Prometheus", TimeSpan.FromSeconds(30));

        await app.StopAsync();
    }
    private sealed class FixedProcesses(params ReplicaProcess[] processes) : IReplicaProcesses
    {
        public IReadOnlyList<ReplicaProcess> ListReplicaProcesses() => processes;
    }

    [Fact]
    public async Task CpuLoad_IsTheRateOfABusyReplica_ScrapedFromTheControllersMetrics()
    {
        // A replica spinning one core (in a child, as a function process would) and an idle one.
        using var busy = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "while :; do :; done & wait"]))!;
        using var idle = Process.Start(new ProcessStartInfo("/bin/sleep", ["120"]))!;
        try
        {
            using var dir = new TempDir();
            var processes = new FixedProcesses(
                new ReplicaProcess("busy.openfaas-fn", "r1", busy.Id),
                new ReplicaProcess("idle.openfaas-fn", "r1", idle.Id));
            await using var app = Program.Build(
                [
                    "--port=0",
                    "--state_dir=" + dir.Combine("state"),
                    "--artifact_store=" + dir.Combine("artifacts"),
                    "--Logging:LogLevel:Default=Warning",
                ],
                services => services.AddSingleton(new FunctionCpuMetrics(processes, pid => ProcCpuReader.ReadSeconds(pid))));
            await app.StartAsync();
            var controllerAddress = new Uri(app.Urls.First()).Authority;
            await using var prometheus = await PrometheusServer.StartAsync([controllerAddress]);
            using var http = new HttpClient();
            var source = new PrometheusLoadSource(new PrometheusQueryClient(http, prometheus.BaseUri));

            // Millicores: the spinning replica is near 1000 on an idle machine, but the CPU is
            // shared (a loaded test machine gives it a small slice), so ask only for a clear
            // signal, at most one core, while the sleeping replica's counter does not move.
            double? busyLoad = 0;
            await TestSupport.WaitUntilAsync(async () =>
                (busyLoad = await source.GetLoadAsync(ScalingType.Cpu, "busy.openfaas-fn")) >= 20,
                "the busy replica's CPU rate in Prometheus (log: " + prometheus.Log + ")", TimeSpan.FromSeconds(30));
            Assert.InRange(busyLoad!.Value, 20, 1200);
            Assert.InRange((await source.GetLoadAsync(ScalingType.Cpu, "idle.openfaas-fn"))!.Value, 0, 10);
            Assert.Equal(0, await source.GetLoadAsync(ScalingType.Cpu, "unknown.openfaas-fn"));
            await app.StopAsync();
        }
        finally
        {
            busy.Kill(entireProcessTree: true);
            idle.Kill();
            await busy.WaitForExitAsync();
            await idle.WaitForExitAsync();
        }
    }
}

using System.Diagnostics;
using System.Net.Http.Json;
using Faas.Contracts.Json;
using Faas.Gateway.Tests.Fakes;
using Faas.Prometheus.Query;
using Faas.Testing.Net;
using Faas.Testing.Prometheus;

namespace Faas.Gateway.Tests.Metrics;

/// <summary>The gateway's metrics scraped by a real Prometheus and read back the way the gateway and the autoscaler read them.</summary>
public sealed class PrometheusIntegrationTests
{
    [Fact]
    public async Task RealPrometheus_ScrapesTheGateway_AndInvocationCountAndRateComeBack()
    {
        await using var replica = await FakeReplica.StartAsync("pi-1");
        await using var controller = await FakeController.StartAsync();
        controller.SetFunctions(FakeController.Function("pi-echo", replica));

        // Prometheus needs the gateway's metrics port and the gateway Prometheus's URL: fix the metrics port first.
        var metricsPort = TestPorts.Next();
        await using var prometheus = await PrometheusServer.StartAsync([$"127.0.0.1:{metricsPort}"]);
        await using var gateway = await GatewayHost.StartAsync(controller.Url, new Dictionary<string, string?>
        {
            ["metrics_port"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["prometheus_url"] = prometheus.BaseUri.ToString(),
        });
        await gateway.WaitForReadyAsync("pi-echo");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("/function/pi-echo")).StatusCode);
        }

        // invocationCount through the gateway's own OpenFaaS query (regex on the namespace).
        var deadline = Stopwatch.StartNew();
        double count = 0;
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            var functions = await gateway.Client.GetFromJsonAsync("/system/functions", FaasJsonContext.Default.ListFunctionStatus);
            count = functions!.Single(f => f.Name == "pi-echo").InvocationCount;
            if (count == 3)
            {
                break;
            }

            await Task.Delay(250);
        }

        Assert.True(count == 3, $"invocationCount {count} after {deadline.Elapsed}; prometheus log:\n{prometheus.Log}");

        // The autoscaler's rps query sees the calls too.
        using var http = new HttpClient();
        var client = new PrometheusQueryClient(http, prometheus.BaseUri);
        var result = await client.QueryAsync("sum(rate(gateway_function_invocation_total{function_name=\"pi-echo.openfaas-fn\"}[10s]))");
        Assert.IsType<InstantVector>(result);
        var ready = await client.QueryAsync("gateway_service_ready_count{function_name=\"pi-echo.openfaas-fn\"}");
        Assert.Equal(1, Assert.Single(((InstantVector)ready).Samples).Value);
    }
}

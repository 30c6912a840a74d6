using System.Net.Http.Json;
using Faas.Contracts.Functions;
using Faas.Contracts.Json;
using Faas.Gateway.Tests.Fakes;
using Faas.Prometheus;

namespace Faas.Gateway.Tests.Metrics;

/// <summary>The gateway's <c>/metrics</c> on its own port, after real calls through the gateway.</summary>
public sealed class GatewayMetricsTests
{
    private static async Task<IReadOnlyList<ParsedSample>> ScrapeAsync(GatewayHost gateway)
    {
        using var client = new HttpClient();
        using var response = await client.GetAsync(gateway.MetricsUrl + "/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(PrometheusConstants.ExporterContentType, response.Content.Headers.ContentType?.ToString());
        return TextFormatParser.Parse(await response.Content.ReadAsStringAsync());
    }

    private static double? Value(IReadOnlyList<ParsedSample> samples, string name, params (string Key, string Value)[] labels) =>
        samples.FirstOrDefault(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value))?.Value;

    /// <summary>Completion is recorded after the response is sent, so a scrape may briefly lag the client.</summary>
    private static async Task<IReadOnlyList<ParsedSample>> ScrapeUntilAsync(GatewayHost gateway, Func<IReadOnlyList<ParsedSample>, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (true)
        {
            var samples = await ScrapeAsync(gateway);
            if (condition(samples) || DateTime.UtcNow > deadline)
            {
                return samples;
            }

            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Metrics_CountsInvocationsByFunctionAndCode_AndReportsReplicaGauges()
    {
        await using var replica = await FakeReplica.StartAsync("m-echo-1");
        await using var controller = await FakeController.StartAsync();
        controller.SetFunctions(FakeController.Function("m-echo", replica));
        await using var gateway = await GatewayHost.StartAsync(controller.Url);
        await gateway.WaitForReadyAsync("m-echo");

        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("/function/m-echo")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.PostAsync("/function/m-echo.openfaas-fn/x", new StringContent("hi"))).StatusCode);
        // Names nobody deployed get a 404 and leave no series behind: callers pick those names.
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await gateway.Client.GetAsync($"/function/m-missing-{i}")).StatusCode);
        }

        var fn = ("function_name", "m-echo.openfaas-fn");
        var samples = await ScrapeUntilAsync(gateway, s =>
            Value(s, "gateway_function_invocation_total", fn, ("code", "200")) == 2);

        Assert.Equal(2, Value(samples, "gateway_function_invocation_total", fn, ("code", "200")));
        Assert.DoesNotContain(samples, s => s.Labels.TryGetValue("function_name", out var name) && name.StartsWith("m-missing", StringComparison.Ordinal));
        Assert.Equal(2, Value(samples, "gateway_function_invocation_started", fn));
        Assert.Equal(0, Value(samples, "gateway_function_invocation_inflight", fn));
        Assert.Equal(2, Value(samples, "gateway_functions_seconds_count", fn, ("code", "200")));
        Assert.Equal(2, Value(samples, "gateway_functions_seconds_bucket", fn, ("code", "200"), ("le", "+Inf")));
        Assert.NotNull(Value(samples, "gateway_functions_seconds_bucket", fn, ("code", "200"), ("le", "0.005")));
        Assert.Equal(1, Value(samples, "gateway_service_count", fn));
        Assert.Equal(1, Value(samples, "gateway_service_ready_count", fn));
        Assert.Equal(0, Value(samples, "gateway_cold_start_seconds_count", fn));
    }

    [Fact]
    public async Task Metrics_OfARemovedFunction_LeaveTheScrape()
    {
        await using var replica = await FakeReplica.StartAsync("m-gone-1");
        await using var controller = await FakeController.StartAsync();
        controller.SetFunctions(FakeController.Function("m-gone", replica));
        await using var gateway = await GatewayHost.StartAsync(controller.Url);
        await gateway.WaitForReadyAsync("m-gone");
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("/function/m-gone")).StatusCode);
        var fn = ("function_name", "m-gone.openfaas-fn");
        var before = await ScrapeUntilAsync(gateway, s => Value(s, "gateway_function_invocation_total", fn, ("code", "200")) == 1);
        Assert.Equal(1, Value(before, "gateway_function_invocation_total", fn, ("code", "200")));

        controller.SetFunctions();

        var after = await ScrapeUntilAsync(gateway, s => !s.Any(x => x.Labels.TryGetValue("function_name", out var name) && name == "m-gone.openfaas-fn"));
        Assert.DoesNotContain(after, x => x.Labels.TryGetValue("function_name", out var name) && name == "m-gone.openfaas-fn");
    }

    [Fact]
    public async Task Metrics_RecordsGatewayErrorsWithTheStatusWritten()
    {
        await using var controller = await FakeController.StartAsync();
        controller.SetFunctions(FakeController.Function("m-broken", "openfaas-fn", ("r1", LocalServer.ClosedPortUrl())));
        await using var gateway = await GatewayHost.StartAsync(controller.Url);
        await gateway.WaitForReadyAsync("m-broken");

        Assert.Equal(HttpStatusCode.BadGateway, (await gateway.Client.GetAsync("/function/m-broken")).StatusCode);

        var fn = ("function_name", "m-broken.openfaas-fn");
        var samples = await ScrapeUntilAsync(gateway, s => Value(s, "gateway_function_invocation_total", fn, ("code", "502")) == 1);
        Assert.Equal(1, Value(samples, "gateway_function_invocation_total", fn, ("code", "502")));
        Assert.Null(Value(samples, "gateway_function_invocation_total", fn, ("code", "200")));
    }

    [Fact]
    public async Task Metrics_ObservesColdStart_WhenACallWaitsForTheFirstReadyReplica()
    {
        await using var replica = await FakeReplica.StartAsync("m-cold-1");
        await using var controller = await FakeController.StartAsync();
        controller.SetFunctions(FakeController.ScaledToZero("m-cold"));
        await using var gateway = await GatewayHost.StartAsync(controller.Url);
        await gateway.WaitForTableAsync(t => t.Routes.Count == 1);

        var fn = ("function_name", "m-cold.openfaas-fn");
        var call = gateway.Client.GetAsync("/function/m-cold");

        // Held: in flight, poked from zero, not yet a cold start. (A scrape writes the families in name
        // order, so one taken while the call arrives can show it in flight before its cold-start series
        // exists: wait for a scrape that has both.)
        var held = await ScrapeUntilAsync(gateway, s => Value(s, "gateway_function_invocation_inflight", fn) == 1 && Value(s, "gateway_cold_start_seconds_count", fn) is not null);
        Assert.Equal(1, Value(held, "gateway_function_invocation_inflight", fn));
        Assert.Equal(0, Value(held, "gateway_cold_start_seconds_count", fn));
        await Task.Delay(150);
        controller.SetFunctions(FakeController.Function("m-cold", replica));
        Assert.Equal(HttpStatusCode.OK, (await call).StatusCode);

        var samples = await ScrapeUntilAsync(gateway, s => Value(s, "gateway_cold_start_seconds_count", fn) == 1);
        Assert.Equal(1, Value(samples, "gateway_cold_start_seconds_count", fn));
        Assert.True(Value(samples, "gateway_cold_start_seconds_sum", fn) >= 0.1);
    }

    [Fact]
    public async Task MetricsPort_ServesOnlyMetricsAndHealth_AndTheMainPortHasNoMetrics()
    {
        await using var controller = await FakeController.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(controller.Url);
        using var client = new HttpClient();

        Assert.Equal("OK", await client.GetStringAsync(gateway.MetricsUrl + "/healthz"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(gateway.MetricsUrl + "/function/x")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.Client.GetAsync("/metrics")).StatusCode);
        Assert.NotEqual(new Uri(gateway.Url).Port, new Uri(gateway.MetricsUrl).Port);
    }

    [Fact]
    public async Task SystemFunctions_FillsInvocationCountFromPrometheus()
    {
        string? query = null;
        await using var prometheus = await LocalServer.StartAsync(app => app.MapPost("/api/v1/query", async (HttpContext context) =>
        {
            query = (await context.Request.ReadFormAsync())["query"];
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""
                {"status":"success","data":{"resultType":"vector","result":[
                  {"metric":{"function_name":"m-listed.openfaas-fn"},"value":[1700000000.5,"42"]},
                  {"metric":{"function_name":"other.openfaas-fn"},"value":[1700000000.5,"3"]}]}}
                """);
        }));
        await using var controller = await FakeController.StartAsync();
        controller.SetFunctions(FakeController.ScaledToZero("m-listed"), FakeController.ScaledToZero("m-unused"));
        await using var gateway = await GatewayHost.StartAsync(controller.Url, new Dictionary<string, string?> { ["prometheus_url"] = prometheus.Url });

        var functions = await gateway.Client.GetFromJsonAsync("/system/functions", FaasJsonContext.Default.ListFunctionStatus);

        Assert.Equal(42, functions!.Single(f => f.Name == "m-listed").InvocationCount);
        Assert.Equal(0, functions!.Single(f => f.Name == "m-unused").InvocationCount);
        Assert.Equal("sum(gateway_function_invocation_total{function_name=~\".*\\\\.openfaas-fn\"}) by (function_name)", query);
    }

    [Fact]
    public async Task SystemFunctions_ReturnsTheListUnchanged_WhenPrometheusFails()
    {
        await using var prometheus = await LocalServer.StartAsync(app => app.MapPost("/api/v1/query", (HttpContext context) =>
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Task.CompletedTask;
        }));
        await using var controller = await FakeController.StartAsync();
        controller.SetFunctions(FakeController.ScaledToZero("m-plain"));
        await using var gateway = await GatewayHost.StartAsync(controller.Url, new Dictionary<string, string?>
        {
            ["faas_prometheus_host"] = "127.0.0.1",
            ["faas_prometheus_port"] = new Uri(prometheus.Url).Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        using var response = await gateway.Client.GetAsync("/system/functions");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var functions = await response.Content.ReadFromJsonAsync(FaasJsonContext.Default.ListFunctionStatus);
        Assert.Equal(0, Assert.Single(functions!).InvocationCount);
    }
}

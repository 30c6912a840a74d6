using System.Net;
using System.Text;
using Faas.Controller.Autoscaling;
using Faas.Prometheus.Query;

namespace Faas.Controller.Tests.Autoscaling;

/// <summary>The PromQL sent for each scaling type, against a fake Prometheus HTTP handler.</summary>
public sealed class PrometheusLoadSourceTests
{
    private sealed class FakePrometheus(string body, HttpStatusCode status = HttpStatusCode.OK) : HttpMessageHandler
    {
        public List<string> Queries { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var form = await request.Content!.ReadAsStringAsync(cancellationToken);
            Queries.Add(Uri.UnescapeDataString(form.Split('&').Single(p => p.StartsWith("query=", StringComparison.Ordinal))["query=".Length..].Replace('+', ' ')));
            return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }
    }

    private static string Vector(params double[] values) =>
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        + string.Join(",", values.Select(v => $"{{\"metric\":{{}},\"value\":[1700000000,\"{v.ToString(System.Globalization.CultureInfo.InvariantCulture)}\"]}}"))
        + "]}}";

    [Theory]
    [InlineData(ScalingType.Rps, "sum(rate(gateway_function_invocation_total{function_name=\"echo.openfaas-fn\"}[10s]))")]
    [InlineData(ScalingType.Capacity, "sum(gateway_function_invocation_inflight{function_name=\"echo.openfaas-fn\"})")]
    public async Task Load_QueriesTheGatewayMetric_OfTheType(ScalingType type, string expected)
    {
        var prometheus = new FakePrometheus(Vector(12.5));
        var source = new PrometheusLoadSource(new PrometheusQueryClient(new HttpClient(prometheus), new Uri("http://prometheus.test/")));

        var load = await source.GetLoadAsync(type, "echo.openfaas-fn");

        Assert.Equal(12.5, load);
        Assert.Equal(expected, Assert.Single(prometheus.Queries));
    }

    [Fact]
    public async Task Load_IsZero_WhenTheFunctionHasNoSeriesYet()
    {
        var source = new PrometheusLoadSource(new PrometheusQueryClient(new HttpClient(new FakePrometheus(Vector())), new Uri("http://prometheus.test/")));

        Assert.Equal(0, await source.GetLoadAsync(ScalingType.Rps, "new.openfaas-fn"));
    }

    [Fact]
    public async Task Cpu_IsTheRateOfTheControllersReplicaCpuCounter_InMilliCpu()
    {
        var prometheus = new FakePrometheus(Vector(1500));
        var source = new PrometheusLoadSource(new PrometheusQueryClient(new HttpClient(prometheus), new Uri("http://prometheus.test/")));

        Assert.Equal(1500, await source.GetLoadAsync(ScalingType.Cpu, "echo.openfaas-fn"));
        Assert.Equal("sum(rate(function_cpu_seconds_total{function_name=\"echo.openfaas-fn\"}[10s])) * 1000", Assert.Single(prometheus.Queries));
    }

    [Fact]
    public async Task PrometheusDown_Throws()
    {
        var source = new PrometheusLoadSource(new PrometheusQueryClient(new HttpClient(new FakePrometheus("", HttpStatusCode.ServiceUnavailable)), new Uri("http://prometheus.test/")));

        await Assert.ThrowsAnyAsync<PrometheusQueryException>(() => source.GetLoadAsync(ScalingType.Rps, "echo.openfaas-fn"));
    }
}

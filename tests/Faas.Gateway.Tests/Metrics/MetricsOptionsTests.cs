using Faas.Gateway.Configuration;
using Microsoft.Extensions.Configuration;

namespace Faas.Gateway.Tests.Metrics;

/// <summary><c>metrics_port</c> and the Prometheus keys of the gateway.</summary>
public sealed class MetricsOptionsTests
{
    private static IConfiguration Config(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(
            values.Append((Key: "functions_provider_url", Value: (string?)"http://127.0.0.1:8081/")).Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Defaults_MetricsOn8082_NoPrometheus()
    {
        var options = GatewayOptionsReader.Read(Config());

        Assert.Equal(8082, options.MetricsPort);
        Assert.Null(options.PrometheusUrl);
    }

    [Fact]
    public void PrometheusUrl_WinsOverHostAndPort()
    {
        Assert.Equal(new Uri("http://prom:9999/"), GatewayOptionsReader.Read(Config(("prometheus_url", "http://prom:9999/"), ("faas_prometheus_host", "other"))).PrometheusUrl);
        Assert.Equal(new Uri("http://prometheus:9090/"), GatewayOptionsReader.Read(Config(("faas_prometheus_host", "prometheus"))).PrometheusUrl);
        Assert.Equal(new Uri("http://127.0.0.1:19090/"), GatewayOptionsReader.Read(Config(("faas_prometheus_host", "127.0.0.1"), ("faas_prometheus_port", "19090"))).PrometheusUrl);
    }

    [Theory]
    [InlineData("metrics_port", "70000", "metrics_port='70000'")]
    [InlineData("metrics_port", "8080", "metrics_port='8080' is the same as port")]
    [InlineData("prometheus_url", "prom:9090", "prometheus_url='prom:9090'")]
    public void Invalid_FailsNamingTheKeyAndValue(string key, string value, string expected)
    {
        var error = Assert.Throws<GatewayOptionsException>(() => GatewayOptionsReader.Read(Config((key, value))));

        Assert.Contains(error.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }
}

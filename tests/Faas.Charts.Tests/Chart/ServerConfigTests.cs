using System.Diagnostics;
using Faas.Charts.Tests.Rendering;

namespace Faas.Charts.Tests.Chart;

/// <summary>
/// The NATS and Prometheus configuration files the chart ships, checked by the real servers' own
/// checkers (nats-server -t, promtool check config; test.sh installs both).
/// </summary>
public sealed class ServerConfigTests
{
    [Fact]
    public async Task PrometheusConfig_ScrapesEveryGatewayPodsMetricsPort_AndPromtoolAcceptsIt()
    {
        var manifests = await ChartRenderer.RenderAsync("--set", "gateway.metricsPort=9102");
        var text = Yaml.Str(Yaml.Map(manifests.Single("ConfigMap", "faas-prometheus").Raw, "data"), "prometheus.yml");

        var config = Yaml.Map(new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<object>(text), "prometheus.yml");
        Assert.Equal("1s", Yaml.Str(Yaml.Map(config, "global"), "scrape_interval"));
        var job = Assert.Single(Yaml.Maps(config, "scrape_configs"));
        Assert.Equal("gateway", Yaml.Str(job, "job_name"));
        var sd = Assert.Single(Yaml.Maps(job, "dns_sd_configs"));
        Assert.Equal("faas-gateway-metrics.openfaas.svc.cluster.local", Assert.Single(Yaml.Strings(sd, "names")));
        Assert.Equal("9102", Yaml.Str(sd, "port"));

        // The name resolves to the gateway pods only (headless, gateway selector), not the queue workers.
        var service = manifests.Single("Service", "faas-gateway-metrics");
        Assert.Equal("None", Yaml.Str(service.Spec, "clusterIP"));
        Assert.Equal("gateway", Yaml.StringMap(service.Spec, "selector")["app.kubernetes.io/component"]);
        Assert.Equal("9102", manifests.Single("Deployment", "faas-gateway").Env("gateway")["metrics_port"]);

        await CheckFileAsync(text, "prometheus.yml", path => ("promtool", ["check", "config", path]));
    }

    [Fact]
    public async Task NatsConfig_EnablesJetStreamOnTheVolume_AndNatsServerAcceptsIt()
    {
        var manifests = await ChartRenderer.RenderAsync();
        var text = Yaml.Str(Yaml.Map(manifests.Single("ConfigMap", "faas-nats").Raw, "data"), "nats.conf");

        Assert.Contains("jetstream {", text, StringComparison.Ordinal);
        await CheckFileAsync(text, "nats.conf", path => ("nats-server", ["-c", path, "-t"]));
    }

    private static async Task CheckFileAsync(string text, string fileName, Func<string, (string File, string[] Arguments)> command)
    {
        var dir = Directory.CreateTempSubdirectory("faas-chart-config-").FullName;
        try
        {
            var path = Path.Combine(dir, fileName);
            await File.WriteAllTextAsync(path, text);
            var (file, arguments) = command(path);
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
            Assert.True(process.ExitCode == 0, $"{file} rejected {fileName}:\n{await stdout}\n{await stderr}\n{text}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

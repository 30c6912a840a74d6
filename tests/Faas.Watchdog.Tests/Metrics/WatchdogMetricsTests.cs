using System.Net;
using Faas.Prometheus;
using Faas.Testing.Net;
using Faas.Watchdog.Metrics;
using Faas.Watchdog.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Faas.Watchdog.Tests.Metrics;

/// <summary><c>/metrics</c> on the watchdog's separate port after real calls.</summary>
public sealed class WatchdogMetricsTests
{
    private static double? Value(IReadOnlyList<ParsedSample> samples, string name, params (string Key, string Value)[] labels) =>
        samples.FirstOrDefault(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value))?.Value;

    private static async Task<IReadOnlyList<ParsedSample>> ScrapeUntilAsync(string url, Func<IReadOnlyList<ParsedSample>, bool> condition)
    {
        using var client = new HttpClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (true)
        {
            using var response = await client.GetAsync(url + "/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var samples = TextFormatParser.Parse(await response.Content.ReadAsStringAsync());
            if (condition(samples) || DateTime.UtcNow > deadline)
            {
                return samples;
            }

            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Metrics_CountsCallsByCodeAndMethod_NotProbes()
    {
        var port = TestPorts.Next();
        await using var watchdog = await TestWatchdog.StartAsync(new EchoStringHandler(), ("metrics_port", port.ToString()));
        var metricsUrl = $"http://127.0.0.1:{watchdog.App.Services.GetRequiredService<MetricsListener>().Port}";
        Assert.Equal(port, new Uri(metricsUrl).Port);

        Assert.Equal(HttpStatusCode.OK, (await watchdog.Client.PostAsync("/", new StringContent("a"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await watchdog.Client.PostAsync("/x", new StringContent("b"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await watchdog.Client.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await watchdog.Client.GetAsync("/_/health")).StatusCode);

        var samples = await ScrapeUntilAsync(metricsUrl, s => Value(s, "http_requests_total", ("code", "200"), ("method", "post")) == 2
            && Value(s, "http_requests_total", ("code", "200"), ("method", "get")) == 1);

        Assert.Equal(2, Value(samples, "http_requests_total", ("code", "200"), ("method", "post")));
        Assert.Equal(1, Value(samples, "http_requests_total", ("code", "200"), ("method", "get")));
        Assert.Equal(2, Value(samples, "http_request_duration_seconds_count", ("code", "200"), ("method", "post")));
        Assert.Equal(0, Value(samples, "http_requests_in_flight"));
        Assert.Equal(3, samples.Where(s => s.Name == "http_requests_total").Sum(s => s.Value));
    }

    [Fact]
    public async Task MetricsPortZero_ServesNoMetricsListener()
    {
        await using var watchdog = await TestWatchdog.StartAsync(new EchoStringHandler());

        Assert.Null(watchdog.App.Services.GetService<MetricsListener>());
        Assert.Equal(HttpStatusCode.OK, (await watchdog.Client.PostAsync("/metrics", new StringContent("x"))).StatusCode);
    }

    [Fact]
    public void MetricsPort_DefaultsTo8081_AndMustDifferFromPort()
    {
        Assert.Equal(8081, Faas.Watchdog.Configuration.WatchdogOptions.Parse(new Dictionary<string, string>()).MetricsPort);
        Assert.False(Faas.Watchdog.Configuration.WatchdogOptions.TryParse(
            new Dictionary<string, string> { ["port"] = "9000", ["metrics_port"] = "9000" }, out _, out var errors));
        Assert.Contains(errors, e => e.ToString().Contains("metrics_port", StringComparison.Ordinal));
    }
}

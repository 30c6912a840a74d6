using Faas.Controller.Autoscaling;
using Faas.Controller.Backends;

namespace Faas.Controller.Tests.Autoscaling;

public sealed class FunctionCpuMetricsTests
{
    private sealed class Processes : IReplicaProcesses
    {
        public List<ReplicaProcess> List { get; } = [];

        public IReadOnlyList<ReplicaProcess> ListReplicaProcesses() => [.. List];
    }

    private static async Task<string> ScrapeAsync(FunctionCpuMetrics metrics)
    {
        using var stream = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public async Task OneSeriesPerReplica_InSeconds_AndAGoneReplicasSeriesEnds()
    {
        var processes = new Processes();
        processes.List.Add(new ReplicaProcess("echo.openfaas-fn", "a", 10));
        processes.List.Add(new ReplicaProcess("echo.openfaas-fn", "b", 11));
        var cpu = new Dictionary<int, double?> { [10] = 1.5, [11] = 0.25 };
        var metrics = new FunctionCpuMetrics(processes, pid => cpu[pid]);

        var text = await ScrapeAsync(metrics);
        Assert.Contains("# TYPE function_cpu_seconds_total counter", text);
        Assert.Contains("function_cpu_seconds_total{function_name=\"echo.openfaas-fn\",replica=\"a\"} 1.5", text);
        Assert.Contains("function_cpu_seconds_total{function_name=\"echo.openfaas-fn\",replica=\"b\"} 0.25", text);

        // b exited; a's process vanished between the listing and the read: both series end.
        processes.List.RemoveAt(1);
        cpu[10] = null;
        text = await ScrapeAsync(metrics);
        Assert.DoesNotContain("replica=\"a\"", text);
        Assert.DoesNotContain("replica=\"b\"", text);
    }

    [Fact]
    public async Task ABackendWithoutProcesses_ExposesNoSeries()
    {
        var metrics = new FunctionCpuMetrics(null, _ => 1);

        Assert.DoesNotContain("function_cpu_seconds_total{", await ScrapeAsync(metrics));
    }
}

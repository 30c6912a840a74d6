using System.Diagnostics;
using Faas.Charts.Tests.Rendering;
using Faas.Testing.Kubernetes;

namespace Faas.Charts.Tests.Cluster;

/// <summary>Runs scripts/check-chart-on-cluster.sh as the fixture's admin (stdout and stderr together in Output).</summary>
internal static class ChartCheckScript
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    public static async Task<(int ExitCode, string Output)> RunAsync(KubernetesControlPlaneFixture cluster, string releaseNamespace, bool keep = false, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(ChartRenderer.Repository, "scripts", "check-chart-on-cluster.sh"));
        start.ArgumentList.Add("--namespace");
        start.ArgumentList.Add(releaseNamespace);
        if (keep)
        {
            start.ArgumentList.Add("--keep");
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["KUBECONFIG"] = cluster.KubeconfigPath;

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start bash");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"check-chart-on-cluster.sh ran over {Timeout.TotalSeconds} s:\n{await stdout}\n{await stderr}");
        }

        return (process.ExitCode, $"{await stdout}\n--- stderr ---\n{await stderr}");
    }
}

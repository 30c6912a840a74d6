using System.Diagnostics;

namespace Faas.Charts.Tests.Rendering;

/// <summary>
/// Runs <c>scripts/render-chart.sh</c> (helm when on the PATH, else tests/helm-render) on charts/faas.
/// The first call builds the Go tool (cached afterwards); every later call waits for that one.
/// </summary>
public static class ChartRenderer
{
    public const string Release = "faas";
    public const string Namespace = "openfaas";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private static readonly Lazy<Task> Warmup = new(() => RunAsync(Namespace, []));

    public static string Repository { get; } = FindRepository();

    /// <summary>Renders with extra flags (<c>--set</c>, <c>-f</c>, <c>--lookup</c>) and parses every document; fails the test when rendering fails.</summary>
    public static Task<Manifests> RenderAsync(params string[] flags) => RenderInNamespaceAsync(Namespace, flags);

    /// <summary>As <see cref="RenderAsync"/>, released into <paramref name="releaseNamespace"/> instead of <see cref="Namespace"/>.</summary>
    public static async Task<Manifests> RenderInNamespaceAsync(string releaseNamespace, params string[] flags)
    {
        await Warmup.Value;
        var result = await RunAsync(releaseNamespace, flags);
        Assert.True(result.ExitCode == 0, $"render-chart.sh {string.Join(' ', flags)} exited {result.ExitCode}:\n{result.Stderr}");
        return Manifests.Parse(result.Stdout);
    }

    /// <summary>Renders without asserting success, for the failure cases.</summary>
    public static async Task<RenderResult> RenderRawAsync(params string[] flags)
    {
        await Warmup.Value;
        return await RunAsync(Namespace, flags);
    }

    private static async Task<RenderResult> RunAsync(string releaseNamespace, string[] flags)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(Repository, "scripts", "render-chart.sh"));
        start.ArgumentList.Add(Release);
        start.ArgumentList.Add(Path.Combine(Repository, "charts", "faas"));
        start.ArgumentList.Add("--namespace");
        start.ArgumentList.Add(releaseNamespace);
        foreach (var flag in flags)
        {
            start.ArgumentList.Add(flag);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new RenderResult(process.ExitCode, await stdout, await stderr);
    }

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Faas.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Faas.sln not found above the test output");
    }
}

public sealed record RenderResult(int ExitCode, string Stdout, string Stderr);

using System.Diagnostics;

namespace Faas.Testing.Kubernetes;

/// <summary>
/// Finds kube-apiserver and kube-controller-manager by running scripts/kube/build-kube.sh --print-dir:
/// instant when they are cached, otherwise it installs the toolchain and builds them (about 7-10 minutes).
/// A failed build fails the tests; it never skips them.
/// </summary>
internal static class KubeBinaries
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(45);

    public static async Task<string> EnsureAsync(CancellationToken cancellationToken)
    {
        var script = Path.Combine(RepositoryRoot(), "scripts", "kube", "build-kube.sh");
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("--print-dir");
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {script}");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(BuildTimeout);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        var stdout = await process.StandardOutput.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish within {BuildTimeout.TotalMinutes} minutes");
        }

        var directory = stdout.Trim().Split('\n').LastOrDefault()?.Trim() ?? "";
        if (process.ExitCode != 0 || directory.Length == 0 || !File.Exists(Path.Combine(directory, "kube-apiserver")))
        {
            throw new InvalidOperationException(
                $"The Kubernetes tests need kube-apiserver and kube-controller-manager, and {script} could not provide them " +
                $"(exit {process.ExitCode}):\n{await stderr}");
        }

        return directory;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Faas.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"Faas.sln not found above {AppContext.BaseDirectory}");
    }
}

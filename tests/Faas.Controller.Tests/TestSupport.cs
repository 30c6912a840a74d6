using Faas.Contracts.Artifacts;
using Faas.Controller.Backends.Process;

namespace Faas.Controller.Tests;

/// <summary>A temporary folder per test, removed on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = Directory.CreateTempSubdirectory("faas-controller-tests-").FullName;
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A replica may still be writing its log; the OS cleans temp eventually.
        }
    }
}

internal static class TestSupport
{
    /// <summary>Short intervals so that crash/back-off/roll-out timelines take milliseconds.</summary>
    public static ProcessBackendTimings FastTimings { get; } = new()
    {
        StartingPollInterval = TimeSpan.FromMilliseconds(10),
        ReadyPollInterval = TimeSpan.FromMilliseconds(30),
        ProbeTimeout = TimeSpan.FromMilliseconds(500),
        HealthFailureThreshold = 3,
        InitialBackoff = TimeSpan.FromMilliseconds(100),
        MaxBackoff = TimeSpan.FromMilliseconds(400),
        ReconcileInterval = TimeSpan.FromMilliseconds(100),
        LogPollInterval = TimeSpan.FromMilliseconds(30),
    };

    /// <summary>Writes a complete artifact for <paramref name="image"/> (manifest plus a dummy handler dll).</summary>
    public static string CreateArtifact(string storeRoot, string image)
    {
        var folder = ArtifactStore.PathFor(storeRoot, image);
        Directory.CreateDirectory(folder);
        File.WriteAllText(System.IO.Path.Combine(folder, "Function.dll"), "not really a dll");
        new ArtifactManifest { Image = image, Lang = "csharp", HandlerAssembly = "Function.dll", BuiltAt = DateTimeOffset.UtcNow }.Write(folder);
        return System.IO.Path.Combine(folder, "Function.dll");
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("timed out waiting until " + what);
            }

            await Task.Delay(10);
        }
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("timed out waiting until " + what);
            }

            await Task.Delay(20);
        }
    }

    /// <summary>The folder holding Faas.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Faas.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Faas.sln not found above " + AppContext.BaseDirectory);
    }
}

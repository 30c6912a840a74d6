using System.Reflection;

namespace Faas.Controller.Configuration;

/// <summary>Finds <c>Faas.Watchdog.dll</c> when <c>watchdog_path</c> is not configured.</summary>
internal static class WatchdogLocator
{
    public const string FileName = "Faas.Watchdog.dll";

    /// <summary>
    /// Looks next to the controller (<c>../watchdog/</c>, the layout of a published install), then in
    /// the repository's build output <c>watchdog/bin/&lt;Configuration&gt;/net10.0/</c> of the nearest
    /// folder above that holds <c>Faas.sln</c>. Every path tried is added to <paramref name="searched"/>.
    /// </summary>
    public static string? Find(List<string> searched)
    {
        var baseDir = AppContext.BaseDirectory;
        var candidates = new List<string> { Path.GetFullPath(Path.Combine(baseDir, "..", "watchdog", FileName)) };

        var configuration = typeof(WatchdogLocator).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration;
        var configurations = new[] { configuration, "Debug", "Release" }
            .Where(c => !string.IsNullOrEmpty(c))
            .Distinct(StringComparer.Ordinal);

        for (var dir = new DirectoryInfo(baseDir); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Faas.sln")))
            {
                candidates.AddRange(configurations.Select(c => Path.Combine(dir.FullName, "watchdog", "bin", c!, "net10.0", FileName)));
                break;
            }
        }

        foreach (var candidate in candidates)
        {
            searched.Add(candidate);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

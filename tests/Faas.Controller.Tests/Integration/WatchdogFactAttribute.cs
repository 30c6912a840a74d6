using System.Reflection;

namespace Faas.Controller.Tests.Integration;

/// <summary>
/// A test that needs the built watchdog (<c>watchdog/bin/&lt;Configuration&gt;/net10.0/Faas.Watchdog.dll</c>).
/// When it is missing the test is reported as skipped with the path it looked for, never passed.
/// </summary>
public sealed class WatchdogFactAttribute : FactAttribute
{
    public WatchdogFactAttribute()
    {
        Timeout = 300_000;
        if (!File.Exists(WatchdogPath))
        {
            Skip = $"the watchdog is not built: {WatchdogPath} does not exist (run 'dotnet build watchdog' first)";
        }
    }

    public static string WatchdogPath
    {
        get
        {
            var configuration = typeof(WatchdogFactAttribute).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            return Path.Combine(TestSupport.RepositoryRoot(), "watchdog", "bin", configuration, "net10.0", "Faas.Watchdog.dll");
        }
    }
}

using System.Reflection;

namespace Faas.Controller.Tests.Integration;

/// <summary>
/// A test that needs the built watchdog (<c>watchdog/bin/&lt;Configuration&gt;/net10.0/Faas.Watchdog.dll</c>).
/// When it is missing the test fails with the path it looked for (a solution build, as ./test.sh
/// does, always builds it); it is never skipped.
/// </summary>
public sealed class WatchdogFactAttribute : FactAttribute
{
    public WatchdogFactAttribute()
    {
        Timeout = 300_000;
    }

    /// <summary>The built watchdog; throws, failing the test, when it is missing.</summary>
    public static string WatchdogPath
    {
        get
        {
            var path = ExpectedPath;
            return File.Exists(path)
                ? path
                : throw new FileNotFoundException($"the watchdog is not built: {path} does not exist (run ./test.sh or 'dotnet build watchdog' first)", path);
        }
    }

    private static string ExpectedPath
    {
        get
        {
            var configuration = typeof(WatchdogFactAttribute).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            return Path.Combine(TestSupport.RepositoryRoot(), "watchdog", "bin", configuration, "net10.0", "Faas.Watchdog.dll");
        }
    }
}

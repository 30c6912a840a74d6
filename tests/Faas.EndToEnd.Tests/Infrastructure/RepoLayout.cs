namespace Faas.EndToEnd.Tests.Infrastructure;

/// <summary>Finds the checkout and the build output of the deployables under test.</summary>
public static class RepoLayout
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the configuration this test assembly was built with; the deployables are built alike by ./test.sh.</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string GatewayDll => Output("gateway", "Faas.Gateway.dll");

    public static string ControllerDll => Output("controller", "Faas.Controller.dll");

    public static string WatchdogDll => Output("watchdog", "Faas.Watchdog.dll");

    public static string CliDll => Output("cli", "faas-cli.dll");

    private static string Output(string project, string file)
    {
        var path = Path.Combine(Root, project, "bin", Configuration, "net10.0", file);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} is missing: build the solution with -c {Configuration} first (./test.sh does).", path);
        }

        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Faas.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Faas.sln not found above " + AppContext.BaseDirectory);
    }
}

using System.Globalization;
using Faas.EndToEnd.Tests.Infrastructure;

namespace Faas.EndToEnd.Tests.KubernetesBackend;

/// <summary>
/// A real watchdog process on 127.0.0.1 standing in for a function's pod (the test control plane has
/// no kubelet): streaming mode with the given <c>fprocess</c>, returned once <c>/_/ready</c> answers.
/// </summary>
internal static class PodWatchdog
{
    public static async Task<ChildProcess> StartAsync(Platform platform, int port, string function, string ns, string fprocess, string? secretsPath = null)
    {
        var env = new Dictionary<string, string>
        {
            ["port"] = port.ToString(CultureInfo.InvariantCulture),
            ["bind_address"] = "127.0.0.1",
            ["mode"] = "streaming",
            ["fprocess"] = fprocess,
            ["function_name"] = function,
            ["function_namespace"] = ns,
            ["metrics_port"] = "0",
            ["DOTNET_ENVIRONMENT"] = "Production",
        };
        if (secretsPath is not null)
        {
            env["secrets_path"] = secretsPath;
        }

        var watchdog = ChildProcess.Start("dotnet", [RepoLayout.WatchdogDll], env, Path.Combine(platform.WorkDir, "watchdog.log"));
        try
        {
            await Platform.WaitForHealthAsync($"http://127.0.0.1:{port}", watchdog, "watchdog", "/_/ready");
            return watchdog;
        }
        catch
        {
            await watchdog.DisposeAsync();
            throw;
        }
    }
}

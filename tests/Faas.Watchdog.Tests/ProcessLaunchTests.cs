using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Faas.Testing.Net;
using Faas.Watchdog.Tests.Handlers;

namespace Faas.Watchdog.Tests;

/// <summary>
/// The real watchdog process, launched as the process backend does (<c>dotnet Faas.Watchdog.dll</c>
/// with the contract's environment), answering, logging with timestamps and draining on SIGTERM.
/// </summary>
public partial class ProcessLaunchTests
{
    private static readonly string WatchdogDll = typeof(ProcessLaunchTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "WatchdogDll").Value!;

    [Fact]
    public async Task Watchdog_LaunchedLikeTheProcessBackend_ServesStampsItsOutputAndDrainsOnSigterm()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        var port = TestPorts.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { WatchdogDll },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment =
            {
                ["port"] = port.ToString(),
                ["metrics_port"] = "0",
                ["bind_address"] = "127.0.0.1",
                ["handler_assembly"] = AssemblyLoadingTests.GreeterDll,
                ["function_name"] = "greeter",
                ["function_namespace"] = "openfaas-fn",
                ["secrets_path"] = Path.GetTempPath(),
                ["log_timestamps"] = "true",
                ["healthcheck_interval"] = "100ms",
                ["FAAS_REPLICA_ID"] = Guid.NewGuid().ToString("N"),
            },
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitForReadyAsync(client, process);

            using var response = await client.PostAsync("/", new StringContent("Grace"));
            Assert.Equal("Hello, Grace", await response.Content.ReadAsStringAsync());

            Assert.Equal(0, Kill(process.Id, Sigterm));
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }

        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Matches(TimestampedLine(), line));
        Assert.Contains(lines, line => line.Contains("Serving Greeter.GreetingHandler", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("Shutdown requested", StringComparison.Ordinal));
        Assert.Equal(string.Empty, await stderr);
    }

    [Fact]
    public async Task Watchdog_WithInvalidConfiguration_ExitsWithCode1AndListsEveryError()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { WatchdogDll, "--exec_timeout=soon" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment = { ["port"] = "99999", ["mode"] = "http" },
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(1, process.ExitCode);
        var errors = await stderr;
        Assert.Contains("3 errors", errors);
        Assert.Contains("port='99999'", errors);
        Assert.Contains("fprocess: required in http mode", errors);
        Assert.Contains("exec_timeout='soon'", errors);
    }

    private const int Sigterm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}\+00:00 ")]
    private static partial Regex TimestampedLine();

    private static async Task WaitForReadyAsync(HttpClient client, Process process)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            Assert.False(process.HasExited, "the watchdog exited before it was ready");
            try
            {
                using var ready = await client.GetAsync("/_/ready");
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(50);
        }

        Assert.Fail("the watchdog did not become ready within 30s");
    }
}

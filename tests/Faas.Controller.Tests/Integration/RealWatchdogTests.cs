using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Faas.Contracts.Artifacts;
using Faas.Controller.Backends;
using Faas.Controller.Backends.Process;

namespace Faas.Controller.Tests.Integration;

/// <summary>
/// The process backend with the real launcher, the real watchdog and a real handler: deploy, call,
/// read logs, survive a controller crash (adoption through <c>/proc/&lt;pid&gt;/environ</c>), delete.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RealWatchdogTests
{
    private const string Image = "echo-it:latest";
    private const string Name = "echo-it";

    [WatchdogFact]
    public async Task RealHandler_IsDeployedCalledAdoptedAfterACrashAndDeleted()
    {
        using var dir = new TempDir();
        var artifacts = dir.Combine("artifacts");
        var stateDir = dir.Combine("state");
        await PublishHandlerAsync(ArtifactStore.PathFor(artifacts, Image));
        string[] args =
        [
            "--port=0",
            "--state_dir=" + stateDir,
            "--artifact_store=" + artifacts,
            "--watchdog_path=" + WatchdogFactAttribute.WatchdogPath,
            "--replica_drain_timeout=5s",
            "--Logging:LogLevel:Default=Warning",
        ];

        var pids = new List<int>();
        try
        {
            // 1. Deploy and wait until the replica is ready.
            var first = Program.Build(args);
            await first.StartAsync();
            using var client1 = new HttpClient { BaseAddress = new Uri(first.Urls.First()) };
            using (var deploy = await client1.PostAsync("/system/functions", Json($$"""{"service":"{{Name}}","image":"{{Image}}"}""")))
            {
                Assert.Equal(HttpStatusCode.Accepted, deploy.StatusCode);
            }

            var url = await WaitForEndpointAsync(first, stateDir);
            var pid = ReadReplicaPid(stateDir);
            pids.Add(pid);

            // 2. Call it.
            using var invoker = new HttpClient();
            Assert.Equal("echo: hello", await InvokeAsync(invoker, url, "hello"));

            // 3. Its output is in /system/logs.
            await TestSupport.WaitUntilAsync(
                async () => (await client1.GetStringAsync($"/system/logs?name={Name}&follow=false")).Contains("handled hello", StringComparison.Ordinal),
                "the handler's output shows in /system/logs",
                TimeSpan.FromSeconds(10));

            // 4. The controller dies without stopping anything (no graceful stop); a new one adopts the replica.
            await first.DisposeAsync();
            var second = Program.Build(args);
            await second.StartAsync();
            using var client2 = new HttpClient { BaseAddress = new Uri(second.Urls.First()) };
            var adoptedUrl = await WaitForEndpointAsync(second, stateDir);
            Assert.Equal(url, adoptedUrl);
            Assert.Equal(pid, ReadReplicaPid(stateDir));
            Assert.Equal("echo: again", await InvokeAsync(invoker, url, "again"));

            // 5. Delete leaves nothing: no process, no logs, no state entry.
            using (var delete = await client2.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/system/functions") { Content = Json($$"""{"functionName":"{{Name}}"}""") }))
            {
                Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
            }

            Assert.False(OsReplicaProcess.IsAlive(pid), $"replica pid {pid} still runs after delete");
            Assert.False(Directory.Exists(Path.Combine(stateDir, "logs", "openfaas-fn", Name)));
            Assert.DoesNotContain(Name, await File.ReadAllTextAsync(Path.Combine(stateDir, "functions.json")), StringComparison.Ordinal);

            await second.StopAsync();
            await second.DisposeAsync();
        }
        finally
        {
            foreach (var pid in pids.Where(OsReplicaProcess.IsAlive))
            {
                using var leftover = Process.GetProcessById(pid);
                leftover.Kill();
            }
        }
    }

    private static async Task<string> WaitForEndpointAsync(WebApplication app, string stateDir)
    {
        var backend = app.Services.GetRequiredService<IFunctionBackend>();
        try
        {
            await TestSupport.WaitUntilAsync(
                () => backend.Endpoints.Current.Functions.FirstOrDefault(f => f.Name == Name)?.Endpoints.Count == 1,
                "the replica is ready",
                TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + Environment.NewLine + "replica logs:" + Environment.NewLine + ReadReplicaLogs(stateDir), e);
        }

        return backend.Endpoints.Current.Functions.Single(f => f.Name == Name).Endpoints[0].Url;
    }

    private static async Task<string> InvokeAsync(HttpClient client, string url, string body)
    {
        using var response = await client.PostAsync(url + "/", new StringContent(body, Encoding.UTF8, "text/plain"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"invoke answered {(int)response.StatusCode}: {text}");
        return text;
    }

    private static int ReadReplicaPid(string stateDir)
    {
        var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(stateDir, "functions.json")));
        var replica = state.RootElement.GetProperty("functions")[0].GetProperty("replicaSet")[0];
        return replica.GetProperty("pid").GetInt32();
    }

    private static string ReadReplicaLogs(string stateDir)
    {
        var folder = Path.Combine(stateDir, "logs", "openfaas-fn", Name);
        return Directory.Exists(folder)
            ? string.Join(Environment.NewLine, Directory.GetFiles(folder).Select(f => f + ":" + Environment.NewLine + File.ReadAllText(f)))
            : "(no log folder)";
    }

    /// <summary>What <c>faas-cli build</c> does: publish the handler into the artifact folder, manifest last.</summary>
    private static async Task PublishHandlerAsync(string folder)
    {
        var project = Path.Combine(TestSupport.RepositoryRoot(), "tests", "Faas.Controller.Tests", "Handlers", "Echo", "Echo.csproj");
        var configuration = typeof(RealWatchdogTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "publish", project, "-c", configuration, "-o", folder, "--nologo", "-v", "q" })
        {
            start.ArgumentList.Add(arg);
        }

        using var publish = Process.Start(start)!;
        var stdout = publish.StandardOutput.ReadToEndAsync();
        var stderr = publish.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await publish.WaitForExitAsync(timeout.Token);
        Assert.True(publish.ExitCode == 0, $"dotnet publish of the test handler failed:{Environment.NewLine}{await stdout}{await stderr}");

        new ArtifactManifest { Image = Image, Lang = "csharp", HandlerAssembly = "Function.dll", BuiltAt = DateTimeOffset.UtcNow }.Write(folder);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}

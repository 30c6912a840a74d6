using System.Net;
using System.Text;
using System.Text.Json;
using Faas.Contracts.Json;
using Faas.EndToEnd.Tests.Infrastructure;

namespace Faas.EndToEnd.Tests.ProcessBackend;

/// <summary>
/// The whole user journey on the embedded default, with real processes and the real faas-cli:
/// new -> up -> invoke -> list -> logs -> scale to 3 -> requests spread -> a replica is killed and
/// replaced -> the controller crashes and restarts -> still listed and served -> remove.
/// </summary>
public sealed class FunctionLifecycleTests : IAsyncLifetime
{
    // Replaces the template's sample: /whoami answers the replica's pid so the test can see which
    // replica served a call, everything else greets and logs a line.
    private const string HandlerSource = """
        using Faas.Function;

        namespace Function;

        public sealed class Handler : IHttpFunction
        {
            public async Task<FunctionResponse> HandleAsync(FunctionRequest request, FunctionContext context, CancellationToken cancellationToken)
            {
                if (request.Path == "/whoami")
                {
                    return FunctionResponse.Text(Environment.ProcessId.ToString());
                }

                var body = await request.ReadBodyAsStringAsync(cancellationToken);
                Console.WriteLine($"greeting {body}");
                return FunctionResponse.Text($"Hello, {body}");
            }
        }
        """;

    private Platform _platform = null!;

    public async Task InitializeAsync()
    {
        _platform = await Platform.StartAsync("lifecycle");
        await _platform.LoginAsync();
    }

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task NewUpInvokeScaleRecoverRemove()
    {
        var p = _platform;

        // new
        var created = await p.RunCliAsync(["new", "greet", "--lang", "csharp"]);
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.True(File.Exists(Path.Combine(p.ProjectDir, "greet.yml")), created.ToString());
        await File.WriteAllTextAsync(Path.Combine(p.ProjectDir, "greet", "Handler.cs"), HandlerSource);

        // up = build + deploy
        var up = await p.RunCliAsync(["up", "-f", "greet.yml"], timeout: TimeSpan.FromMinutes(6));
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Contains("/function/greet", up.Stdout);

        // ready: the gateway's /healthz, then the function's available replica
        var gatewayReady = await p.RunCliAsync(["ready", "--attempts", "10"]);
        Assert.True(gatewayReady.ExitCode == 0, gatewayReady.ToString());
        var functionReady = await p.RunCliAsync(["ready", "greet", "--attempts", "60"], timeout: TimeSpan.FromSeconds(90));
        Assert.True(functionReady.ExitCode == 0, functionReady.ToString());
        Assert.Contains("Function greet is ready", functionReady.Stdout);

        // invoke over HTTP, then with the CLI
        await p.WaitUntilAsync(async () => await InvokeAsync("world") == "Hello, world", TimeSpan.FromSeconds(60), "first successful call");
        var invoked = await p.RunCliAsync(["invoke", "greet"], stdin: "cli");
        Assert.True(invoked.ExitCode == 0, invoked.ToString());
        Assert.Contains("Hello, cli", invoked.Stdout);

        // list, describe
        var list = await p.RunCliAsync(["list"]);
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("greet", list.Stdout);
        var describe = await p.RunCliAsync(["describe", "greet"]);
        Assert.True(describe.ExitCode == 0, describe.ToString());
        Assert.Contains("greet", describe.Stdout);

        // logs carry what the handler wrote
        await p.WaitUntilAsync(
            async () =>
            {
                var logs = await p.RunCliAsync(["logs", "greet", "--tail=false"]);
                return logs.ExitCode == 0 && logs.Stdout.Contains("greeting world");
            },
            TimeSpan.FromSeconds(30),
            "the handler's output in faas-cli logs");

        // scale to 3: requests spread across the replicas
        var scaled = await p.RunCliAsync(["scale", "greet", "--replicas", "3"]);
        Assert.True(scaled.ExitCode == 0, scaled.ToString());
        await p.WaitUntilAsync(async () => await AvailableReplicasAsync() == 3, TimeSpan.FromSeconds(60), "3 available replicas");
        var pids = await ServingPidsAsync(30);
        Assert.True(pids.Count == 3, $"expected 3 replicas to serve 30 calls, saw {string.Join(',', pids)}");

        // kill a replica from outside: it is replaced
        var victim = pids.First();
        Assert.True(ChildProcess.Signal(victim, 9));
        await p.WaitUntilAsync(
            async () =>
            {
                var now = await ServingPidsAsync(30);
                return now.Count == 3 && !now.Contains(victim);
            },
            TimeSpan.FromSeconds(60),
            "the killed replica to be replaced");

        // the controller crashes and comes back: the function is still listed and served
        await p.StopControllerAsync(crash: true);
        Assert.Equal("Hello, during-outage", await InvokeAsync("during-outage"));
        await p.StartControllerAsync();
        await p.WaitUntilAsync(async () => await AvailableReplicasAsync() == 3, TimeSpan.FromSeconds(60), "3 replicas after the controller restart");
        var listed = await p.RunCliAsync(["list"]);
        Assert.Contains("greet", listed.Stdout);
        Assert.Equal("Hello, again", await InvokeAsync("again"));

        // remove: the function and its replicas are gone
        var survivors = await ServingPidsAsync(15);
        var removed = await p.RunCliAsync(["remove", "greet"]);
        Assert.True(removed.ExitCode == 0, removed.ToString());
        await p.WaitUntilAsync(
            async () =>
            {
                using var response = await p.Http.PostAsync("/function/greet", new StringContent("x"));
                return response.StatusCode == HttpStatusCode.NotFound;
            },
            TimeSpan.FromSeconds(30),
            "404 after remove");
        await p.WaitUntilAsync(() => Task.FromResult(survivors.All(pid => !Directory.Exists($"/proc/{pid}"))), TimeSpan.FromSeconds(30), "replica processes to exit");

        // ready gives up on a removed function with exit code 3
        var gone = await p.RunCliAsync(["ready", "greet", "--attempts", "2", "--interval", "100ms"]);
        Assert.True(gone.ExitCode == 3, gone.ToString());
    }

    private async Task<string?> InvokeAsync(string body)
    {
        using var response = await _platform.Http.PostAsync("/function/greet", new StringContent(body, Encoding.UTF8, "text/plain"));
        return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : null;
    }

    private async Task<HashSet<int>> ServingPidsAsync(int calls)
    {
        var pids = new HashSet<int>();
        for (var i = 0; i < calls; i++)
        {
            using var response = await _platform.Http.GetAsync("/function/greet/whoami");
            if (response.IsSuccessStatusCode && int.TryParse(await response.Content.ReadAsStringAsync(), out var pid))
            {
                pids.Add(pid);
            }
        }

        return pids;
    }

    private async Task<ulong> AvailableReplicasAsync()
    {
        using var response = await _platform.Admin.GetAsync("/system/function/greet");
        if (!response.IsSuccessStatusCode)
        {
            return 0;
        }

        var status = JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), FaasJsonContext.Default.FunctionStatus);
        return status?.AvailableReplicas ?? 0;
    }
}

using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Faas.EndToEnd.Tests.Infrastructure;

namespace Faas.EndToEnd.Tests.ProcessBackend;

/// <summary>
/// The platform with a real Prometheus and the autoscaler on (1 s scrapes, 1 s decisions): one
/// handler built once with faas-cli, deployed under two names with different scaling labels.
/// </summary>
public sealed class AutoscalingFixture : IAsyncLifetime
{
    // /slow takes 300 ms, so a handful of concurrent callers keep calls in flight.
    private const string HandlerSource = """
        using Faas.Function;

        namespace Function;

        public sealed class Handler : IHttpFunction
        {
            public async Task<FunctionResponse> HandleAsync(FunctionRequest request, FunctionContext context, CancellationToken cancellationToken)
            {
                if (request.Path == "/slow")
                {
                    await Task.Delay(300, cancellationToken);
                }

                return FunctionResponse.Text("ok");
            }
        }
        """;

    public Platform Platform { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Platform = await Platform.StartAsync("autoscaling", autoscaling: true);
        await Platform.LoginAsync();
        var created = await Platform.RunCliAsync(["new", "scaler", "--lang", "csharp"]);
        Assert.True(created.ExitCode == 0, created.ToString());
        await File.WriteAllTextAsync(Path.Combine(Platform.ProjectDir, "scaler", "Handler.cs"), HandlerSource);
        var built = await Platform.RunCliAsync(["build", "-f", "scaler.yml"], timeout: TimeSpan.FromMinutes(6));
        Assert.True(built.ExitCode == 0, built.ToString());
    }

    /// <summary>Deploys the built handler as <paramref name="name"/> with the given labels.</summary>
    public async Task DeployAsync(string name, params string[] labels)
    {
        var stack = Path.Combine(Platform.ProjectDir, $"{name}.yml");
        var original = await File.ReadAllTextAsync(Path.Combine(Platform.ProjectDir, "scaler.yml"));
        // Same handler and image, another function name.
        await File.WriteAllTextAsync(stack, original.Replace("  scaler:", $"  {name}:", StringComparison.Ordinal));
        var args = new List<string> { "deploy", "-f", stack };
        foreach (var label in labels)
        {
            args.Add("--label");
            args.Add(label);
        }

        var deployed = await Platform.RunCliAsync([.. args]);
        Assert.True(deployed.ExitCode == 0, deployed.ToString());
    }

    public async Task DisposeAsync() => await Platform.DisposeAsync();
}

public sealed class AutoscalingTests(AutoscalingFixture fixture) : IClassFixture<AutoscalingFixture>
{
    private static readonly TimeSpan TestBudget = TimeSpan.FromSeconds(90);

    private Platform P => fixture.Platform;

    [Fact]
    public async Task CapacityLoad_ScalesUpWithinMax_ThenBackToMinWhenTheLoadStops()
    {
        var clock = Stopwatch.StartNew();
        await fixture.DeployAsync(
            "cap",
            "com.openfaas.scale.min=1",
            "com.openfaas.scale.max=3",
            "com.openfaas.scale.target=2",
            "com.openfaas.scale.type=capacity",
            "com.openfaas.scale.down.window=3s",
            "com.openfaas.scale.panic.window=2s");
        await P.WaitUntilAsync(async () => (await StatusAsync("cap")).Available == 1, TimeSpan.FromSeconds(30), "cap to have 1 ready replica");

        // 8 callers, each making slow calls one after another: about 8 calls in flight.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        var failures = 0;
        var maxSeen = 0;
        var callers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await P.Http.GetAsync("/function/cap/slow", stop.Token);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
            }
        })).ToArray();

        try
        {
            await P.WaitUntilAsync(
                async () =>
                {
                    var status = await StatusAsync("cap");
                    maxSeen = Math.Max(maxSeen, status.Replicas);
                    Assert.True(status.Replicas <= 3, $"desired replicas {status.Replicas} over max 3");
                    return status.Available >= 2;
                },
                TimeSpan.FromSeconds(35),
                "cap to scale above 1 replica under load");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(callers);
        }

        Assert.Equal(0, Volatile.Read(ref failures));
        Assert.InRange(maxSeen, 2, 3);

        await P.WaitUntilAsync(
            async () =>
            {
                var status = await StatusAsync("cap");
                Assert.True(status.Replicas <= 3, $"desired replicas {status.Replicas} over max 3");
                return status.Replicas == 1 && status.Available == 1;
            },
            TimeSpan.FromSeconds(30),
            "cap to return to 1 replica after the load");
        Assert.True(clock.Elapsed < TestBudget, $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task ScaleToZero_IdleFunctionGoesToZero_OneCallWakesIt_ThenABurstOf50AllSucceed()
    {
        var clock = Stopwatch.StartNew();
        await fixture.DeployAsync(
            "idle",
            "com.openfaas.scale.zero=true",
            "com.openfaas.scale.zero-duration=3s",
            "com.openfaas.scale.down.window=3s",
            "com.openfaas.scale.panic.window=2s");
        await P.WaitUntilAsync(async () => (await StatusAsync("idle")).Available == 1, TimeSpan.FromSeconds(30), "idle to have 1 ready replica");

        // Idle: to zero, and the replica process is gone.
        await WaitForZeroAsync();

        // One call wakes it: held until the replica is ready, then 200.
        using (var response = await P.Http.GetAsync("/function/idle"))
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{P.Diagnostics()}");
            Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        }

        // Idle again: back to zero.
        await WaitForZeroAsync();

        // A burst of 50 at zero: every call is held and then served.
        var burst = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            using var response = await P.Http.GetAsync("/function/idle");
            return (int)response.StatusCode;
        }));
        Assert.True(burst.All(code => code == 200), $"statuses: {string.Join(',', burst.GroupBy(c => c).Select(g => $"{g.Key}x{g.Count()}"))}\n{P.Diagnostics()}");
        Assert.True(clock.Elapsed < TestBudget, $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task WarmTier_IdleFunctionIsPaused_ACallResumesTheSameProcess_AndABurstAllSucceeds()
    {
        var clock = Stopwatch.StartNew();
        await fixture.DeployAsync(
            "warm",
            "com.openfaas.scale.pause-duration=2s",
            "com.openfaas.scale.down.window=3s",
            "com.openfaas.scale.panic.window=2s");
        await P.WaitUntilAsync(async () => (await StatusAsync("warm")).Available == 1, TimeSpan.FromSeconds(30), "warm to have 1 ready replica");
        var pid = Assert.Single(ReplicaPids("warm"));

        // Idle: the replica process is stopped (state T), not gone; the function keeps its replica.
        await WaitForPausedAsync(pid);
        Assert.Equal((1, 0), await StatusAsync("warm"));

        // A call resumes that very process and is answered.
        using (var response = await P.Http.GetAsync("/function/warm"))
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{P.Diagnostics()}");
            Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        }

        Assert.NotEqual('T', ProcessState(pid));
        Assert.Equal([pid], ReplicaPids("warm"));

        // Paused again; a burst of 30 concurrent calls all succeed on the resumed replica.
        await WaitForPausedAsync(pid);
        var burst = await Task.WhenAll(Enumerable.Range(0, 30).Select(async _ =>
        {
            using var response = await P.Http.GetAsync("/function/warm");
            return (int)response.StatusCode;
        }));
        Assert.True(burst.All(code => code == 200), $"statuses: {string.Join(',', burst.GroupBy(c => c).Select(g => $"{g.Key}x{g.Count()}"))}\n{P.Diagnostics()}");
        Assert.Equal([pid], ReplicaPids("warm"));
        Assert.True(clock.Elapsed < TestBudget, $"took {clock.Elapsed}");
    }

    private async Task WaitForPausedAsync(int pid) =>
        await P.WaitUntilAsync(() => Task.FromResult(ProcessState(pid) == 'T'), TimeSpan.FromSeconds(40), $"replica {pid} to be paused (state T)");

    /// <summary>The state letter of <c>/proc/&lt;pid&gt;/stat</c>; '\0' when the process is gone.</summary>
    private static char ProcessState(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var close = stat.LastIndexOf(')');
            return close + 2 < stat.Length ? stat[close + 2] : '?';
        }
        catch (IOException)
        {
            return '\0';
        }
    }

    private async Task WaitForZeroAsync()
    {
        var pids = ReplicaPids("idle");
        await P.WaitUntilAsync(
            async () =>
            {
                var status = await StatusAsync("idle");
                return status.Replicas == 0 && status.Available == 0;
            },
            TimeSpan.FromSeconds(30),
            "idle to scale to zero");
        await P.WaitUntilAsync(() => Task.FromResult(pids.All(pid => !Directory.Exists($"/proc/{pid}"))), TimeSpan.FromSeconds(20), "idle's replica processes to exit");
    }

    /// <summary>Replica processes of <paramref name="name"/>: children of the controller whose environment names the function.</summary>
    private HashSet<int> ReplicaPids(string name)
    {
        var pids = new HashSet<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var environ = File.ReadAllText(Path.Combine(dir, "environ"));
                if (environ.Contains(P.StateDir, StringComparison.Ordinal) && environ.Contains($"\0function_name={name}\0", StringComparison.Ordinal))
                {
                    pids.Add(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return pids;
    }

    private async Task<(int Replicas, int Available)> StatusAsync(string name)
    {
        using var response = await P.Admin.GetAsync($"/system/function/{name}");
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (-1, -1);
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        // Zero counts are left out of the JSON (as OpenFaaS does).
        return (Count(root, "replicas"), Count(root, "availableReplicas"));

        static int Count(JsonElement root, string property) =>
            root.TryGetProperty(property, out var value) ? value.GetInt32() : 0;
    }
}

using Faas.EndToEnd.Tests.Infrastructure;

namespace Faas.EndToEnd.Tests.ProcessBackend;

/// <summary>
/// The platform (process backend) with a real Prometheus and the autoscaler on (1 s scrapes, 1 s
/// decisions): one handler built once with faas-cli, deployed under several names with different
/// scaling labels. The journeys are <see cref="AutoscalingJourneys"/>, shared with the Docker backend.
/// </summary>
public sealed class AutoscalingFixture : IAsyncLifetime
{
    // /slow takes 300 ms, so a handful of concurrent callers keep calls in flight; /spin burns the
    // CPU for the body's milliseconds (AutoscalingJourneys).
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
                else if (request.Path == "/spin" && int.TryParse(await request.ReadBodyAsStringAsync(cancellationToken), out var ms))
                {
                    var until = Environment.TickCount64 + ms;
                    while (Environment.TickCount64 < until && !cancellationToken.IsCancellationRequested)
                    {
                        Thread.SpinWait(1000);
                    }
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
    public async Task DeployAsync(string name, string[] labels)
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
    private AutoscalingJourneys Journeys => new(fixture.Platform, new ProcessReplicas(fixture.Platform), fixture.DeployAsync);

    [Fact]
    public Task CapacityLoad_ScalesUpWithinMax_ThenBackToMinWhenTheLoadStops() =>
        Journeys.CapacityLoadScalesUpWithinMaxThenBackToMinAsync("cap");

    /// <summary>The load is the replica processes' CPU time (watchdog and handler in one process here).</summary>
    [Fact]
    public Task CpuLoad_ScalesUpWithinMax_ThenBackToMinWhenTheLoadStops() =>
        Journeys.CpuLoadScalesUpWithinMaxThenBackToMinAsync("cpu");

    [Fact]
    public Task ScaleToZero_IdleFunctionGoesToZero_OneCallWakesIt_ThenABurstOf50AllSucceed() =>
        Journeys.ScaleToZeroWakeAndBurstAsync("idle");

    /// <summary>Paused = the replica process is stopped (state T), not gone.</summary>
    [Fact]
    public Task WarmTier_IdleFunctionIsPaused_ACallResumesTheSameProcess_AndABurstAllSucceeds() =>
        Journeys.WarmTierPauseResumeAsync("warm");
}

/// <summary>Replicas as processes: the controller's children whose environment names the function.</summary>
internal sealed class ProcessReplicas(Platform platform) : IReplicaObserver
{
    public Task<IReadOnlySet<string>> LiveReplicasAsync(string function)
    {
        var pids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _))
            {
                continue;
            }

            try
            {
                var environ = File.ReadAllText(Path.Combine(dir, "environ"));
                if (environ.Contains(platform.StateDir, StringComparison.Ordinal) && environ.Contains($"\0function_name={function}\0", StringComparison.Ordinal)
                    && State(dir) is not ('\0' or 'Z'))
                {
                    pids.Add(Path.GetFileName(dir));
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return Task.FromResult<IReadOnlySet<string>>(pids);
    }

    public Task<bool> IsPausedAsync(string replica) => Task.FromResult(State($"/proc/{replica}") == 'T');

    /// <summary>The state letter of <c>/proc/&lt;pid&gt;/stat</c>; '\0' when the process is gone.</summary>
    private static char State(string procDir)
    {
        try
        {
            var stat = File.ReadAllText(Path.Combine(procDir, "stat"));
            var close = stat.LastIndexOf(')');
            return close + 2 < stat.Length ? stat[close + 2] : '?';
        }
        catch (IOException)
        {
            return '\0';
        }
    }
}

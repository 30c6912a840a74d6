using Faas.EndToEnd.Tests.Infrastructure;

namespace Faas.EndToEnd.Tests.DockerBackend;

/// <summary>
/// The Docker-backend platform (private dockerd, its own bridge network) with a real Prometheus and
/// the autoscaler on (1 s scrapes, 1 s decisions). The function is the platform's watchdog image in
/// streaming mode with a shell <c>fprocess</c> (no image build: the journeys are about scaling):
/// it answers <c>ok</c>, after 300 ms on <c>/slow</c>, after spinning for the body's milliseconds on <c>/spin</c>. The journeys are <see cref="AutoscalingJourneys"/>,
/// shared with the process backend.
/// </summary>
public sealed class DockerAutoscalingFixture(DockerEngineFixture engine) : IAsyncLifetime
{
    // /spin: a subshell spins for the body's milliseconds (busybox usleep); waited for, so its CPU
    // time is reaped into the shell's and then the watchdog's (the container's init).
    private const string FunctionProcess =
        """if [ "$Http_Path" = /slow ]; then sleep 0.3; fi; """ +
        """if [ "$Http_Path" = /spin ]; then read -r ms; (while :; do :; done) & busybox usleep $((${ms:-0} * 1000)); kill $!; wait $! 2>/dev/null; fi; """ +
        "printf ok";

    public Platform Platform { get; private set; } = null!;

    public DockerEngineFixture Engine => engine;

    public async Task InitializeAsync()
    {
        Platform = await Platform.StartAsync("docker-autoscaling", autoscaling: true, docker: engine.NewSettings());
        await Platform.LoginAsync();
    }

    /// <summary>Deploys the watchdog image as <paramref name="name"/> with the given labels, as a user would with faas-cli.</summary>
    public async Task DeployAsync(string name, string[] labels)
    {
        var args = new List<string> { "deploy", "--image", engine.WatchdogImage, "--name", name, "--fprocess", FunctionProcess, "--env", "mode=streaming" };
        foreach (var label in labels)
        {
            args.Add("--label");
            args.Add(label);
        }

        var deployed = await Platform.RunCliAsync([.. args]);
        Assert.True(deployed.ExitCode == 0, $"{deployed}\n{Platform.Diagnostics()}");
    }

    public async Task DisposeAsync()
    {
        var network = Platform.Docker!.Network;
        await Platform.DisposeAsync();
        await engine.CleanUpAsync(network);
    }
}

[Collection(DockerEngineCollection.Name)]
public sealed class AutoscalingTests(DockerAutoscalingFixture fixture) : IClassFixture<DockerAutoscalingFixture>
{
    private AutoscalingJourneys Journeys => new(fixture.Platform, new ContainerReplicas(fixture.Engine, fixture.Platform.Docker!.Network), fixture.DeployAsync);

    /// <summary>Scale-up adds containers (at most 3), scale-down removes them down to 1.</summary>
    [Fact]
    public Task CapacityLoad_ScalesUpWithinMax_ThenBackToMinWhenTheLoadStops() =>
        Journeys.CapacityLoadScalesUpWithinMaxThenBackToMinAsync("cap");

    /// <summary>The load is the containers' CPU time: the controller runs beside the private dockerd and reads /proc.</summary>
    [Fact]
    public Task CpuLoad_ScalesUpWithinMax_ThenBackToMinWhenTheLoadStops() =>
        Journeys.CpuLoadScalesUpWithinMaxThenBackToMinAsync("cpu");

    /// <summary>At zero no replica container of the function is running (or paused).</summary>
    [Fact]
    public Task ScaleToZero_IdleFunctionGoesToZero_OneCallWakesIt_ThenABurstOf50AllSucceed() =>
        Journeys.ScaleToZeroWakeAndBurstAsync("idle");

    /// <summary>Paused = frozen (here, as root on the daemon's host: the cgroup freezer written directly); a call thaws the same container (same id).</summary>
    [Fact]
    public Task WarmTier_IdleFunctionIsPaused_ACallResumesTheSameContainer_AndABurstAllSucceeds() =>
        Journeys.WarmTierPauseResumeAsync("warm");
}

/// <summary>Replicas as containers on the platform's network, by the labels the controller puts on them.</summary>
internal sealed class ContainerReplicas(DockerEngineFixture engine, string network) : IReplicaObserver
{
    public async Task<IReadOnlySet<string>> LiveReplicasAsync(string function) =>
        (await engine.ContainersOfAsync(network, function))
            .Where(c => c.Labels?.GetValueOrDefault("com.faas.role") == "replica" && c.State is "running" or "paused")
            .Select(c => c.Id)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary><c>docker pause</c>d, or frozen through its cgroup (<c>docker_freezer=cgroup</c>: Docker then says running).</summary>
    public async Task<bool> IsPausedAsync(string replica)
    {
        var container = (await engine.ContainersOfAsync(network)).FirstOrDefault(c => c.Id == replica);
        if (container?.State != "running")
        {
            return container?.State == "paused";
        }

        var pid = (await engine.Client.Containers.InspectContainerAsync(replica)).State?.Pid ?? 0;
        return pid > 0 && CgroupFrozen(await File.ReadAllTextAsync($"/proc/{pid}/cgroup"));
    }

    /// <summary>The kernel's view: the v1 freezer's state, else the v2 cgroup's <c>frozen</c> event.</summary>
    private static bool CgroupFrozen(string procCgroup)
    {
        var lines = procCgroup.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(':', 3)).Where(p => p.Length == 3).ToList();
        if (lines.FirstOrDefault(p => p[1].Split(',').Contains("freezer")) is { } v1)
        {
            var state = $"/sys/fs/cgroup/{v1[1]}{v1[2]}/freezer.state";
            return File.Exists(state) && File.ReadAllText(state).Trim() is "FROZEN" or "FREEZING";
        }

        if (lines.FirstOrDefault(p => p[0] == "0" && p[1].Length == 0) is { } v2)
        {
            var root = File.Exists("/sys/fs/cgroup/cgroup.controllers") ? "/sys/fs/cgroup" : "/sys/fs/cgroup/unified";
            var events = $"{root}{v2[2]}/cgroup.events";
            return File.Exists(events) && File.ReadLines(events).Contains("frozen 1");
        }

        return false;
    }
}

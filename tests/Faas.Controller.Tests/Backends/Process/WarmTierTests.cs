using Faas.Contracts.Naming;
using Faas.Controller.Backends;
using Faas.Controller.Tests.Fakes;

namespace Faas.Controller.Tests.Backends.Process;

/// <summary>The process backend's warm tier over the fake launcher: pause, resume, and what survives a restart.</summary>
public sealed class WarmTierTests
{
    private const string Ns = FunctionNames.DefaultNamespace;

    [Fact]
    public async Task Pause_TakesReplicasOffTheTable_StopsThem_AndScaleResumesThemReadyAtOnce()
    {
        await using var h = await BackendHarness.StartAsync();
        await h.Backend.DeployAsync(h.Deployment("warm", labels: new() { [ScaleLabels.Min] = "2" }));
        await WaitForEndpointsAsync(h, "warm", 2);

        var paused = await h.Backend.PauseAsync("warm", Ns);

        Assert.Equal(BackendStatus.Accepted, paused.Status);
        Assert.All(h.RunningOf("warm"), p => Assert.True(p.Paused));
        var table = Entry(h, "warm");
        Assert.True(table.Paused);
        Assert.Empty(table.Endpoints);
        Assert.Equal(2, table.Replicas);
        Assert.True(h.Backend.IsPaused("warm", Ns));

        // Resume through the scale call the gateway makes: back in the table without a probe.
        foreach (var p in h.RunningOf("warm"))
        {
            p.Ready = false;
        }

        await h.Backend.ScaleAsync("warm", Ns, 2);

        table = Entry(h, "warm");
        Assert.False(table.Paused);
        Assert.Equal(2, table.Endpoints.Count);
        Assert.All(h.RunningOf("warm"), p => Assert.False(p.Paused));
        Assert.Equal(2, h.RunningOf("warm").Count);
        Assert.False(h.Backend.IsPaused("warm", Ns));
    }

    [Fact]
    public async Task Pause_WithACallInFlight_IsCanceled_AndTheReplicaKeepsServing()
    {
        await using var h = await BackendHarness.StartAsync();
        await h.Backend.DeployAsync(h.Deployment("busywarm"));
        await WaitForEndpointsAsync(h, "busywarm", 1);
        h.RunningOf("busywarm")[0].InFlight = 1;

        var paused = await h.Backend.PauseAsync("busywarm", Ns);

        Assert.Equal(BackendStatus.Conflict, paused.Status);
        Assert.False(h.RunningOf("busywarm")[0].Paused);
        Assert.False(Entry(h, "busywarm").Paused);
        Assert.Single(Entry(h, "busywarm").Endpoints);
    }

    [Fact]
    public async Task Pause_OfAReplicaThatCannotTell_IsCanceled()
    {
        await using var h = await BackendHarness.StartAsync();
        await h.Backend.DeployAsync(h.Deployment("mute"));
        await WaitForEndpointsAsync(h, "mute", 1);
        h.RunningOf("mute")[0].InFlight = null;

        Assert.Equal(BackendStatus.Conflict, (await h.Backend.PauseAsync("mute", Ns)).Status);
        Assert.False(h.RunningOf("mute")[0].Paused);
    }

    [Fact]
    public async Task PausedReplicas_AreNotFailedByTheHealthMonitor()
    {
        await using var h = await BackendHarness.StartAsync();
        await h.Backend.DeployAsync(h.Deployment("sleepy"));
        await WaitForEndpointsAsync(h, "sleepy", 1);
        var replica = h.RunningOf("sleepy")[0];
        await h.Backend.PauseAsync("sleepy", Ns);

        // Many health intervals (30 ms each, 3 failures = crash) while it cannot answer.
        await Task.Delay(TimeSpan.FromMilliseconds(500));

        Assert.Equal([replica], h.RunningOf("sleepy"));
        Assert.True(replica.Paused);
        Assert.Equal(1, h.Launcher.Launched.Count(p => p.Spec.FunctionName == "sleepy"));
    }

    [Fact]
    public async Task PausedReplicaThatDies_IsReplaced_AndTheFunctionIsNoLongerPaused()
    {
        await using var h = await BackendHarness.StartAsync();
        await h.Backend.DeployAsync(h.Deployment("fragile"));
        await WaitForEndpointsAsync(h, "fragile", 1);
        await h.Backend.PauseAsync("fragile", Ns);

        h.RunningOf("fragile")[0].Crash();

        await WaitForEndpointsAsync(h, "fragile", 1);
        Assert.False(Entry(h, "fragile").Paused);
        Assert.False(h.RunningOf("fragile")[0].Paused);
    }

    [Fact]
    public async Task ScaleToZero_OfAPausedFunction_StopsItsReplicas()
    {
        await using var h = await BackendHarness.StartAsync();
        await h.Backend.DeployAsync(h.Deployment("tozero"));
        await WaitForEndpointsAsync(h, "tozero", 1);
        var replica = h.RunningOf("tozero")[0];
        await h.Backend.PauseAsync("tozero", Ns);

        await h.Backend.ScaleAsync("tozero", Ns, 0);

        await TestSupport.WaitUntilAsync(() => replica.HasExited, "the paused replica is stopped");
        Assert.Empty(h.RunningOf("tozero"));
        Assert.False(Entry(h, "tozero").Paused);
    }

    [Fact]
    public async Task RestartAfterCrash_AdoptsPausedReplicasAsPaused_AndACallResumesThem()
    {
        var dir = new TempDir();
        try
        {
            var os = new FakeReplicaLauncher();
            var first = await BackendHarness.StartAsync(os, dir);
            await first.Backend.DeployAsync(first.Deployment("frozen"));
            await WaitForEndpointsAsync(first, "frozen", 1);
            await first.Backend.PauseAsync("frozen", Ns);
            var replica = first.RunningOf("frozen")[0];
            first.Crash();

            await using var second = await BackendHarness.StartAsync(os, dir);

            Assert.Equal(1, replica.Adopted);
            Assert.True(replica.Paused);
            Assert.True(Entry(second, "frozen").Paused);
            Assert.True(second.Backend.IsPaused("frozen", Ns));

            await second.Backend.ScaleAsync("frozen", Ns, 1);

            Assert.False(replica.Paused);
            Assert.Single(Entry(second, "frozen").Endpoints);
        }
        finally
        {
            dir.Dispose();
        }
    }

    [Fact]
    public async Task RestartAfterCrash_WithSomeReplicasPaused_ResumesThem()
    {
        var dir = new TempDir();
        try
        {
            var os = new FakeReplicaLauncher();
            var first = await BackendHarness.StartAsync(os, dir);
            await first.Backend.DeployAsync(first.Deployment("mixed", labels: new() { [ScaleLabels.Min] = "2" }));
            await WaitForEndpointsAsync(first, "mixed", 2);
            var replicas = first.RunningOf("mixed");
            first.Crash();
            replicas[0].Pause(); // e.g. the previous controller died half-way through a pause

            await using var second = await BackendHarness.StartAsync(os, dir);

            Assert.All(replicas, r => Assert.False(r.Paused));
            Assert.False(Entry(second, "mixed").Paused);
            await WaitForEndpointsAsync(second, "mixed", 2);
        }
        finally
        {
            dir.Dispose();
        }
    }

    [Fact]
    public async Task Update_OfAPausedFunction_ResumesIt_AndRollsOut()
    {
        await using var h = await BackendHarness.StartAsync();
        await h.Backend.DeployAsync(h.Deployment("roll"));
        await WaitForEndpointsAsync(h, "roll", 1);
        var old = h.RunningOf("roll")[0];
        await h.Backend.PauseAsync("roll", Ns);

        await h.Backend.UpdateAsync(h.Deployment("roll", image: "roll:2"));

        await TestSupport.WaitUntilAsync(() => old.HasExited, "the old paused replica is stopped");
        await WaitForEndpointsAsync(h, "roll", 1);
        Assert.False(Entry(h, "roll").Paused);
    }

    private static Faas.Contracts.Endpoints.FunctionEndpoints Entry(BackendHarness h, string name) =>
        h.Backend.Endpoints.Current.Functions.Single(f => f.Name == name);

    private static Task WaitForEndpointsAsync(BackendHarness h, string name, int count) =>
        TestSupport.WaitUntilAsync(
            () => h.Backend.Endpoints.Current.Functions.SingleOrDefault(f => f.Name == name)?.Endpoints.Count == count,
            $"{name} has {count} ready replica(s)");
}

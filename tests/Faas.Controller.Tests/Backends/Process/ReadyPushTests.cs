using Faas.Controller.Tests.Fakes;

namespace Faas.Controller.Tests.Backends.Process;

/// <summary>Readiness pushed by the watchdog's ready file (<c>lock_file_path</c>), with the poll as the fallback.</summary>
public sealed class ReadyPushTests
{
    [Fact]
    public async Task ReadyFile_WakesTheMonitor_WithoutWaitingForThePoll()
    {
        // A starting poll of an hour: only the pushed signal can make the replica ready in this test.
        var timings = TestSupport.FastTimings with { StartingPollInterval = TimeSpan.FromHours(1) };
        var launcher = new FakeReplicaLauncher { ReadyOnStart = false };
        await using var h = await BackendHarness.StartAsync(launcher, timings: timings);
        await h.Backend.DeployAsync(h.Deployment("pushed"));
        var replica = Assert.Single(h.RunningOf("pushed"));
        var readyFile = replica.Spec.Environment["lock_file_path"];
        Assert.Equal(Path.Combine(h.Options.StateDir, "ready", replica.Spec.ReplicaId), readyFile);

        // What the watchdog does once its handler is ready.
        replica.Ready = true;
        await File.WriteAllTextAsync(readyFile, "");

        await TestSupport.WaitUntilAsync(
            () => h.Backend.Endpoints.Current.Functions.Single().Endpoints.Count == 1, "the replica is ready through its ready file");
    }

    [Fact]
    public async Task WithoutAReadyFile_ThePollStillFindsTheReplicaReady()
    {
        var launcher = new FakeReplicaLauncher { ReadyOnStart = false };
        await using var h = await BackendHarness.StartAsync(launcher);
        await h.Backend.DeployAsync(h.Deployment("polled"));

        Assert.Single(h.RunningOf("polled")).Ready = true;

        await TestSupport.WaitUntilAsync(
            () => h.Backend.Endpoints.Current.Functions.Single().Endpoints.Count == 1, "the replica is ready through the poll");
    }

    [Fact]
    public async Task StoppedReplica_LeavesNoReadyFileBehind()
    {
        await using var h = await BackendHarness.StartAsync();
        await h.Backend.DeployAsync(h.Deployment("tidy"));
        var replica = Assert.Single(h.RunningOf("tidy"));
        var readyFile = replica.Spec.Environment["lock_file_path"];
        await File.WriteAllTextAsync(readyFile, "");

        await h.Backend.ScaleAsync("tidy", Faas.Contracts.Naming.FunctionNames.DefaultNamespace, 0);

        await TestSupport.WaitUntilAsync(() => !File.Exists(readyFile), "the ready file is removed with the replica");
    }
}

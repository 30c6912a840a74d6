using System.Globalization;
using Faas.Contracts.Naming;
using Faas.Controller.Backends;
using Faas.Controller.Backends.Process;
using Faas.Controller.Tests.Fakes;

namespace Faas.Controller.Tests.Backends.Process;

public sealed class ProcessBackendTests
{
    private const string Ns = FunctionNames.DefaultNamespace;

    [Fact]
    public async Task Deploy_StartsReplicaWithTheDocumentedEnvironment()
    {
        await using var h = await BackendHarness.StartAsync();
        var deployment = h.Deployment("envfn") with
        {
            EnvProcess = "cat",
            EnvVars = new() { ["greeting"] = "hi", ["port"] = "1" },
        };

        var result = await h.Backend.DeployAsync(deployment);

        Assert.Equal(BackendStatus.Accepted, result.Status);
        var replica = Assert.Single(h.RunningOf("envfn"));
        var spec = replica.Spec;
        var env = spec.Environment;
        Assert.StartsWith("envfn-", spec.ReplicaId, StringComparison.Ordinal);
        Assert.Equal(spec.Port.ToString(CultureInfo.InvariantCulture), env["port"]);
        Assert.Equal("127.0.0.1", env["bind_address"]);
        Assert.Equal("0", env["metrics_port"]);
        Assert.Equal(Path.Combine(h.Options.ArtifactStore, "envfn_latest", "Function.dll"), env["handler_assembly"]);
        Assert.Equal(env["handler_assembly"], spec.HandlerAssembly);
        Assert.Equal("envfn", env["function_name"]);
        Assert.Equal(Ns, env["function_namespace"]);
        Assert.True(Directory.Exists(env["secrets_path"]));
        Assert.Equal("true", env["log_timestamps"]);
        Assert.Equal(spec.ReplicaId, env["FAAS_REPLICA_ID"]);
        Assert.Equal("cat", env["fprocess"]);
        Assert.Equal("hi", env["greeting"]);
        Assert.Equal(Path.Combine(h.Options.StateDir, "logs", Ns, "envfn", spec.ReplicaId + ".log"), spec.LogFile);

        await TestSupport.WaitUntilAsync(async () => (await h.StatusAsync("envfn")).AvailableReplicas == 1, "the replica is ready");
        var status = await h.StatusAsync("envfn");
        Assert.Equal(1UL, status.Replicas);
        Assert.Equal("envfn:latest", status.Image);
        Assert.Equal("cat", status.EnvProcess);
        Assert.Contains("\"envfn\"", await File.ReadAllTextAsync(h.StateFile));
    }

    [Fact]
    public async Task Deploy_StartsScaleMinReplicas()
    {
        await using var h = await BackendHarness.StartAsync();

        await h.Backend.DeployAsync(h.Deployment("minfn", labels: new() { [ScaleLabels.Min] = "3" }));

        Assert.Equal(3, h.RunningOf("minfn").Count);
        Assert.Equal(3UL, (await h.StatusAsync("minfn")).Replicas);
    }

    [Fact]
    public async Task Deploy_ExistingFunction_IsAConflict()
    {
        await using var h = await BackendHarness.StartAsync();
        await h.Backend.DeployAsync(h.Deployment("dup"));

        var again = await h.Backend.DeployAsync(h.Deployment("dup"));

        Assert.Equal(BackendStatus.Conflict, again.Status);
        Assert.Single(h.RunningOf("dup"));
    }

    [Fact]
    public async Task Deploy_UnknownImage_LeavesNothingBehind()
    {
        await using var h = await BackendHarness.StartAsync();

        var result = await h.Backend.DeployAsync(new() { Service = "ghost", Image = "ghost:1.0", Namespace = Ns });

        Assert.Equal(BackendStatus.Invalid, result.Status);
        Assert.Contains("faas-cli build", result.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(h.Options.ArtifactStore, "ghost_1.0"), result.Message, StringComparison.Ordinal);
        Assert.Null(await h.Backend.GetAsync("ghost", Ns));
        Assert.Empty(h.Launcher.Launched);
        Assert.False(File.Exists(h.StateFile) && (await File.ReadAllTextAsync(h.StateFile)).Contains("ghost", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Scale_UpToThree_ThenDownStopsNewestFirst_ThenToZero()
    {
        await using var h = await BackendHarness.StartAsync();
        await h.Backend.DeployAsync(h.Deployment("scalefn"));

        await h.Backend.ScaleAsync("scalefn", Ns, 3);
        Assert.Equal(3, h.RunningOf("scalefn").Count);
        await TestSupport.WaitUntilAsync(async () => (await h.StatusAsync("scalefn")).AvailableReplicas == 3, "3 replicas are ready");
        var oldest = h.RunningOf("scalefn")[0];

        await h.Backend.ScaleAsync("scalefn", Ns, 1);
        Assert.Equal(1UL, (await h.StatusAsync("scalefn")).AvailableReplicas);
        await TestSupport.WaitUntilAsync(() => h.RunningOf("scalefn").Count == 1, "two replicas stopped");
        Assert.Equal([oldest], h.RunningOf("scalefn"));
        Assert.All(h.Launcher.Launched.Where(p => p != oldest), p => Assert.Equal(h.Options.ReplicaDrainTimeout, p.StoppedWithDrain));

        await h.Backend.ScaleAsync("scalefn", Ns, 0);
        await TestSupport.WaitUntilAsync(() => h.RunningOf("scalefn").Count == 0, "all replicas stopped");
        var status = await h.StatusAsync("scalefn");
        Assert.Equal(0UL, status.Replicas);
        Assert.Equal(0UL, status.AvailableReplicas);
        var endpoints = Assert.Single(h.Backend.Endpoints.Current.Functions);
        Assert.Equal(0, endpoints.Replicas);
        Assert.Empty(endpoints.Endpoints);
    }

    [Fact]
    public async Task Scale_UnknownFunction_IsNotFound()
    {
        await using var h = await BackendHarness.StartAsync();

        var result = await h.Backend.ScaleAsync("nobody", Ns, 2);

        Assert.Equal(BackendStatus.NotFound, result.Status);
    }

    [Fact]
    public async Task CrashLoop_IsReplacedWithExponentialBackoff()
    {
        await using var h = await BackendHarness.StartAsync();
        h.Launcher.ReadyOnStart = false; // never ready, so failures accumulate
        await h.Backend.DeployAsync(h.Deployment("crashy"));

        var gaps = new List<TimeSpan>();
        for (var i = 0; i < 4; i++)
        {
            var current = Assert.Single(h.RunningOf("crashy"));
            var crashedAt = DateTimeOffset.UtcNow;
            current.Crash();
            await TestSupport.WaitUntilAsync(() => h.RunningOf("crashy").Count == 1, "a replacement started");
            gaps.Add(h.RunningOf("crashy")[0].LaunchedAt - crashedAt);
        }

        // 100 ms doubling, capped at 400 ms (FastTimings); generous upper bounds for a busy machine.
        Assert.InRange(gaps[0].TotalMilliseconds, 90, 1000);
        Assert.InRange(gaps[1].TotalMilliseconds, 190, 1500);
        Assert.InRange(gaps[2].TotalMilliseconds, 390, 2000);
        Assert.InRange(gaps[3].TotalMilliseconds, 390, 2000);
    }

    [Fact]
    public async Task FailingHealthChecks_ReplaceTheReplica_ButBusyDoesNot()
    {
        await using var h = await BackendHarness.StartAsync();
        await h.Backend.DeployAsync(h.Deployment("sick"));
        await TestSupport.WaitUntilAsync(async () => (await h.StatusAsync("sick")).AvailableReplicas == 1, "ready");
        var first = h.RunningOf("sick")[0];

        first.Busy = true;
        first.Ready = false;
        await Task.Delay(TestSupport.FastTimings.ReadyPollInterval * 6);
        Assert.False(first.HasExited);

        first.Busy = false;
        await TestSupport.WaitUntilAsync(() => first.HasExited, "the unhealthy replica is killed");
        Assert.Equal(TimeSpan.Zero, first.StoppedWithDrain);
        await TestSupport.WaitUntilAsync(async () => (await h.StatusAsync("sick")).AvailableReplicas == 1, "a replacement is ready");
        Assert.NotEqual(first, h.RunningOf("sick")[0]);
    }

    [Fact]
    public async Task LaunchFailure_IsRetriedWithBackoff()
    {
        await using var h = await BackendHarness.StartAsync();
        h.Launcher.FailLaunch = _ => true;

        var result = await h.Backend.DeployAsync(h.Deployment("nolaunch"));

        Assert.Equal(BackendStatus.Accepted, result.Status);
        Assert.Empty(h.Launcher.Launched);
        h.Launcher.FailLaunch = null;
        await TestSupport.WaitUntilAsync(async () => (await h.StatusAsync("nolaunch")).AvailableReplicas == 1, "the replica starts once launching works");
    }

    [Fact]
    public async Task Update_IsRolling_OldReplicasServeUntilNewOnesAreReady()
    {
        await using var h = await BackendHarness.StartAsync();
        await h.Backend.DeployAsync(h.Deployment("roll", "roll:1"));
        await h.Backend.ScaleAsync("roll", Ns, 2);
        await TestSupport.WaitUntilAsync(async () => (await h.StatusAsync("roll")).AvailableReplicas == 2, "v1 ready");
        var v1 = h.RunningOf("roll");

        h.Launcher.ReadyOnStart = false;
        var result = await h.Backend.UpdateAsync(h.Deployment("roll", "roll:2") with { EnvVars = new() { ["v"] = "2" } });

        Assert.Equal(BackendStatus.Accepted, result.Status);
        var v2 = h.RunningOf("roll").Except(v1).ToList();
        Assert.Equal(2, v2.Count);
        Assert.All(v2, p => Assert.Equal("2", p.Spec.Environment["v"]));
        await Task.Delay(200);
        Assert.All(v1, p => Assert.False(p.HasExited));
        var serving = h.Backend.Endpoints.Current.Functions.Single().Endpoints.Select(e => e.Replica).ToHashSet();
        Assert.Equal(v1.Select(p => p.Spec.ReplicaId).ToHashSet(), serving);
        Assert.Equal("roll:2", (await h.StatusAsync("roll")).Image);

        foreach (var p in v2)
        {
            p.Ready = true;
        }

        await TestSupport.WaitUntilAsync(() => v1.All(p => p.HasExited), "v1 is stopped once v2 is ready");
        Assert.All(v1, p => Assert.Equal(h.Options.ReplicaDrainTimeout, p.StoppedWithDrain));
        await TestSupport.WaitUntilAsync(
            () => h.Backend.Endpoints.Current.Functions.Single().Endpoints.Select(e => e.Replica).ToHashSet().SetEquals(v2.Select(p => p.Spec.ReplicaId)),
            "only v2 serves");
    }

    [Fact]
    public async Task Update_MissingFunction_IsNotFound()
    {
        await using var h = await BackendHarness.StartAsync();

        var result = await h.Backend.UpdateAsync(h.Deployment("absent"));

        Assert.Equal(BackendStatus.NotFound, result.Status);
        Assert.Empty(h.Launcher.Launched);
    }

    [Fact]
    public async Task Delete_StopsEverything_AndLeavesNoState()
    {
        await using var h = await BackendHarness.StartAsync();
        await h.Backend.DeployAsync(h.Deployment("gone", labels: new() { [ScaleLabels.Min] = "2" }));
        var logs = Path.Combine(h.Options.StateDir, "logs", Ns, "gone");
        await File.WriteAllTextAsync(h.RunningOf("gone")[0].Spec.LogFile, "2024-01-01T00:00:00Z hello\n");

        var result = await h.Backend.DeleteAsync("gone", Ns);

        Assert.Equal(BackendStatus.Accepted, result.Status);
        Assert.Empty(h.RunningOf("gone"));
        Assert.Null(await h.Backend.GetAsync("gone", Ns));
        Assert.False(Directory.Exists(logs));
        Assert.False(Directory.Exists(Path.Combine(h.Options.StateDir, "secrets", Ns, "gone")));
        Assert.DoesNotContain("gone", await File.ReadAllTextAsync(h.StateFile), StringComparison.Ordinal);
        Assert.Empty(h.Backend.Endpoints.Current.Functions);
        Assert.Equal(BackendStatus.NotFound, (await h.Backend.DeleteAsync("gone", Ns)).Status);

        // The name is free again.
        Assert.Equal(BackendStatus.Accepted, (await h.Backend.DeployAsync(h.Deployment("gone"))).Status);
    }

    [Fact]
    public async Task StateFile_RoundTripsTheDeployment()
    {
        var dir = new TempDir();
        try
        {
            await using (var h = await BackendHarness.StartAsync(dir: dir))
            {
                var deployment = h.Deployment("keep") with
                {
                    EnvProcess = "cat",
                    EnvVars = new() { ["a"] = "b" },
                    Labels = new() { ["team"] = "x" },
                    Annotations = new() { ["note"] = "y" },
                    Limits = new() { Memory = "128Mi" },
                    ReadOnlyRootFilesystem = true,
                };
                await h.Backend.DeployAsync(deployment);
                await h.Backend.ScaleAsync("keep", Ns, 2);
            }

            var state = new FunctionStateStore(new ProcessPaths(dir.Combine("state"))).Load();
            var record = Assert.Single(state.Functions);
            Assert.Equal("keep", record.Name);
            Assert.Equal(Ns, record.Namespace);
            Assert.Equal(2, record.Replicas);
            Assert.Equal("cat", record.Deployment.EnvProcess);
            Assert.Equal("b", record.Deployment.EnvVars!["a"]);
            Assert.Equal("x", record.Deployment.Labels!["team"]);
            Assert.Equal("y", record.Deployment.Annotations!["note"]);
            Assert.Equal("128Mi", record.Deployment.Limits!.Memory);
            Assert.True(record.Deployment.ReadOnlyRootFilesystem);
            Assert.Empty(record.ReplicaSet); // graceful stop: nothing left to adopt

            // A graceful restart starts the desired replicas again.
            await using var again = await BackendHarness.StartAsync(dir: dir);
            await TestSupport.WaitUntilAsync(() => again.RunningOf("keep").Count == 2, "2 fresh replicas");
            var status = await again.StatusAsync("keep");
            Assert.Equal("128Mi", status.Limits!.Memory);
            Assert.True(status.ReadOnlyRootFilesystem);
        }
        finally
        {
            dir.Dispose();
        }
    }

    [Fact]
    public async Task RestartAfterCrash_AdoptsLiveReplicas_AndStartsFreshOnesForTheRest()
    {
        var dir = new TempDir();
        try
        {
            var os = new FakeReplicaLauncher();
            var first = await BackendHarness.StartAsync(os, dir);
            await first.Backend.DeployAsync(first.Deployment("phoenix", labels: new() { [ScaleLabels.Min] = "2" }));
            var before = first.RunningOf("phoenix");
            Assert.Equal(2, before.Count);
            first.Crash();
            before[1].Crash(); // died while no controller was watching

            await using var second = await BackendHarness.StartAsync(os, dir);

            Assert.Equal(1, before[0].Adopted);
            Assert.Equal(0, before[1].Adopted);
            await TestSupport.WaitUntilAsync(() => second.RunningOf("phoenix").Count == 2, "a fresh replica replaces the dead one");
            Assert.Contains(before[0], second.RunningOf("phoenix"));
            await TestSupport.WaitUntilAsync(() => second.Backend.Endpoints.Current.Functions.Single().Endpoints.Count == 2, "both serve");
            var record = Assert.Single(new FunctionStateStore(new ProcessPaths(dir.Combine("state"))).Load().Functions);
            Assert.Contains(record.ReplicaSet, r => r.Id == before[0].Spec.ReplicaId && r.Pid == before[0].Pid);
            Assert.DoesNotContain(record.ReplicaSet, r => r.Id == before[1].Spec.ReplicaId);
        }
        finally
        {
            dir.Dispose();
        }
    }

    [Fact]
    public async Task GracefulShutdown_StopsAllReplicas()
    {
        var h = await BackendHarness.StartAsync();
        await h.Backend.DeployAsync(h.Deployment("a"));
        await h.Backend.DeployAsync(h.Deployment("b", labels: new() { [ScaleLabels.Min] = "2" }));
        Assert.Equal(3, h.Launcher.Running.Count);

        await h.DisposeAsync();

        Assert.Empty(h.Launcher.Running);
        Assert.All(h.Launcher.Launched, p => Assert.Equal(h.Options.ReplicaDrainTimeout, p.StoppedWithDrain));
    }

    [Fact]
    public async Task Endpoints_ListOnlyReadyReplicas_AndSignalChanges()
    {
        await using var h = await BackendHarness.StartAsync();
        h.Launcher.ReadyOnStart = false;
        var before = h.Backend.Endpoints.Current.Version;
        await h.Backend.DeployAsync(h.Deployment("ep"));

        var snapshot = h.Backend.Endpoints.Current;
        Assert.True(snapshot.Version > before);
        var function = Assert.Single(snapshot.Functions);
        Assert.Equal(("ep", Ns, 1), (function.Name, function.Namespace, function.Replicas));
        Assert.Empty(function.Endpoints);

        var changed = h.Backend.Endpoints.WaitForChangeAsync(snapshot.Version);
        Assert.False(changed.IsCompleted);
        var replica = h.RunningOf("ep")[0];
        replica.Ready = true;
        await changed.WaitAsync(TimeSpan.FromSeconds(5));

        var endpoint = Assert.Single(h.Backend.Endpoints.Current.Functions.Single().Endpoints);
        Assert.Equal(replica.Spec.ReplicaId, endpoint.Replica);
        Assert.Equal($"http://127.0.0.1:{replica.Spec.Port}", endpoint.Url);
    }

    [Fact]
    public async Task StartupTimeout_FailsAReplicaThatNeverGetsReady()
    {
        await using var h = await BackendHarness.StartAsync(startupTimeout: TimeSpan.FromMilliseconds(200));
        h.Launcher.ReadyOnStart = false;
        await h.Backend.DeployAsync(h.Deployment("slow"));
        var first = h.RunningOf("slow")[0];

        await TestSupport.WaitUntilAsync(() => first.HasExited, "the replica is given up on");
        await TestSupport.WaitUntilAsync(() => h.RunningOf("slow").Count == 1, "a replacement starts");
    }
}

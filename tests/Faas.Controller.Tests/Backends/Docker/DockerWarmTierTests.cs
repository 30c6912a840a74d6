using System.Net;
using System.Net.Http.Json;
using Faas.Contracts.Functions;
using Faas.Controller.Backends;
using Faas.Controller.Backends.Docker;
using Faas.Docker;

namespace Faas.Controller.Tests.Backends.Docker;

/// <summary>
/// The warm tier of the Docker backend against the private dockerd, in both freezer modes: api
/// (<c>docker pause</c>/<c>unpause</c>) and cgroup (the freezer file written directly; the tests run as root on the daemon's host).
/// </summary>
[Collection(DockerBackendCollection.Name)]
public sealed class DockerWarmTierTests(DockerBackendFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("api")]
    [InlineData("cgroup")]
    public async Task PauseResume_FreezesOffTheTable_AdoptsAfterRestart_WakesOnScale(string freezer)
    {
        var network = $"faas-t-{Guid.NewGuid().ToString("N")[..8]}";
        var name = $"fw-{Guid.NewGuid().ToString("N")[..6]}";
        var controller = await StartControllerAsync(network, freezer);
        try
        {
            await DeployAsync(controller, name, replicas: 2);
            await WaitForEndpointsAsync(controller.Backend, name, 2);
            var ids = (await ReplicaContainersAsync(name)).Select(c => c.Id).Order().ToList();
            var urls = controller.Backend.Endpoints.Current.Functions.Single(f => f.Name == name).Endpoints.Select(e => e.Url).ToList();

            // 1. Pause: every container frozen (its watchdog port silent), the function in the table as paused with no endpoint.
            Assert.Equal(BackendStatus.Accepted, (await controller.Backend.PauseAsync(name, "openfaas-fn")).Status);
            Assert.Equal(freezer, controller.Backend.Freezer.Mode);
            Assert.True(controller.Backend.IsPaused(name, "openfaas-fn"));
            await AssertPausedAsync(controller, name, ids, freezer);
            foreach (var url in urls)
            {
                await AssertSilentAsync(url);
            }
            var status = await controller.Client.GetFromJsonAsync<FunctionStatus>($"/system/function/{name}");
            Assert.Equal(2UL, status!.Replicas);
            Assert.Equal(0UL, status.AvailableReplicas);

            // A reconcile pass neither replaces nor thaws the paused set (nor probes it unready).
            await controller.Backend.ReconcileAsync(CancellationToken.None);
            await AssertPausedAsync(controller, name, ids, freezer);

            // 2. A new controller adopts the paused containers paused.
            await controller.DisposeAsync();
            controller = await StartControllerAsync(network, freezer);
            await WaitUntilAsync(() => Task.FromResult(controller.Backend.IsPaused(name, "openfaas-fn") == true));
            await controller.Backend.ReconcileAsync(CancellationToken.None);
            await AssertPausedAsync(controller, name, ids, freezer);

            // 3. The gateway's wake-up (a scale request for the count it has) resumes them, on the table at once.
            using (var scale = await controller.Client.PostAsJsonAsync($"/system/scale-function/{name}", new { serviceName = name, replicas = 2 }))
            {
                Assert.Equal(HttpStatusCode.Accepted, scale.StatusCode);
            }

            var table = controller.Backend.Endpoints.Current.Functions.Single(f => f.Name == name);
            Assert.False(table.Paused);
            Assert.Equal(2, table.Endpoints.Count);
            Assert.False(controller.Backend.IsPaused(name, "openfaas-fn"));
            await AssertThawedAsync(ids);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            foreach (var endpoint in table.Endpoints)
            {
                Assert.Equal("served", (await http.GetStringAsync(endpoint.Url + "/")).Trim());
            }

            // 4. Pause and resume through IWarmTier again: same containers, nothing replaced.
            Assert.Equal(BackendStatus.Accepted, (await controller.Backend.PauseAsync(name, "openfaas-fn")).Status);
            await AssertPausedAsync(controller, name, ids, freezer);
            Assert.Equal(BackendStatus.Accepted, (await controller.Backend.ResumeAsync(name, "openfaas-fn")).Status);
            Assert.Equal(2, controller.Backend.Endpoints.Current.Functions.Single(f => f.Name == name).Endpoints.Count);
            Assert.Equal(ids, (await ReplicaContainersAsync(name)).Select(c => c.Id).Order().ToList());
        }
        finally
        {
            await CleanUpAsync(controller, name);
        }
    }

    [Theory]
    [InlineData("api")]
    [InlineData("cgroup")]
    public async Task PausedReplicaKilled_FunctionResumesAndReplacesIt_DeleteRemovesPausedContainers(string freezer)
    {
        var network = $"faas-t-{Guid.NewGuid().ToString("N")[..8]}";
        var name = $"fk-{Guid.NewGuid().ToString("N")[..6]}";
        var controller = await StartControllerAsync(network, freezer);
        try
        {
            await DeployAsync(controller, name, replicas: 2);
            await WaitForEndpointsAsync(controller.Backend, name, 2);
            var ids = (await ReplicaContainersAsync(name)).Select(c => c.Id).Order().ToList();
            Assert.Equal(BackendStatus.Accepted, (await controller.Backend.PauseAsync(name, "openfaas-fn")).Status);
            await AssertPausedAsync(controller, name, ids, freezer);

            // A paused replica dying: the set is no longer whole, so the function is resumed and the replica replaced.
            await fixture.Client.Containers.KillContainerAsync(ids[0]);
            await WaitUntilAsync(async () =>
            {
                var now = await ReplicaContainersAsync(name);
                return now.Count == 2 && now.All(c => c.Id != ids[0])
                    && controller.Backend.Endpoints.Current.Functions.Single(f => f.Name == name).Endpoints.Count == 2;
            });
            Assert.False(controller.Backend.IsPaused(name, "openfaas-fn"));
            Assert.False((await fixture.Client.Containers.InspectContainerAsync(ids[1])).State!.Paused);

            // Delete of a paused function leaves nothing behind.
            Assert.Equal(BackendStatus.Accepted, (await controller.Backend.PauseAsync(name, "openfaas-fn")).Status);
            var survivors = (await ReplicaContainersAsync(name, freezer == "api" ? "paused" : "running")).Select(c => c.Id).Order().ToList();
            await AssertPausedAsync(controller, name, survivors, freezer);
            Assert.Equal(BackendStatus.Accepted, (await controller.Backend.DeleteAsync(name, "openfaas-fn")).Status);
            Assert.Empty(await AllContainersAsync(name));
        }
        finally
        {
            await CleanUpAsync(controller, name);
        }
    }

    [Fact]
    public async Task CgroupMode_ChosenByAuto_HandThawAndDockerPauseFollowTheRules_ScaleDownAndDeleteOfFrozenFinish()
    {
        var network = $"faas-t-{Guid.NewGuid().ToString("N")[..8]}";
        var name = $"fc-{Guid.NewGuid().ToString("N")[..6]}";
        var controller = await StartControllerAsync(network, freezer: null);
        try
        {
            await DeployAsync(controller, name, replicas: 2);
            await WaitForEndpointsAsync(controller.Backend, name, 2);
            var ids = (await ReplicaContainersAsync(name)).Select(c => c.Id).Order().ToList();

            // auto on a local socket, as root: the freezer files.
            Assert.Equal(BackendStatus.Accepted, (await controller.Backend.PauseAsync(name, "openfaas-fn")).Status);
            Assert.Equal("cgroup", controller.Backend.Freezer.Mode);
            await AssertPausedAsync(controller, name, ids, "cgroup");

            // One replica thawed by hand: the set is no longer whole, so the function is resumed (the other thawed too).
            Assert.True(CgroupFreezer.Thaw(await FreezerFileAsync(ids[0])));
            await controller.Backend.ReconcileAsync(CancellationToken.None);
            Assert.False(controller.Backend.IsPaused(name, "openfaas-fn"));
            await AssertThawedAsync(ids);
            Assert.Equal(2, controller.Backend.Endpoints.Current.Functions.Single(f => f.Name == name).Endpoints.Count);

            // A running function's container paused through Docker by hand is unpaused through Docker.
            await fixture.Client.Containers.PauseContainerAsync(ids[1]);
            await controller.Backend.ReconcileAsync(CancellationToken.None);
            await AssertThawedAsync(ids);

            // Scale-down of a frozen function: resumed, the newest replica drained and removed, the other serves.
            Assert.Equal(BackendStatus.Accepted, (await controller.Backend.PauseAsync(name, "openfaas-fn")).Status);
            await AssertPausedAsync(controller, name, ids, "cgroup");
            using (var scale = await controller.Client.PostAsJsonAsync($"/system/scale-function/{name}", new { serviceName = name, replicas = 1 }))
            {
                Assert.Equal(HttpStatusCode.Accepted, scale.StatusCode);
            }

            await WaitUntilAsync(async () => (await AllContainersAsync(name)).Count(c => c.Labels?.GetValueOrDefault("com.faas.role") == "replica" && c.Labels.GetValueOrDefault("com.faas.standby") != "true") == 1
                && controller.Backend.Endpoints.Current.Functions.Single(f => f.Name == name).Endpoints.Count == 1);
            var survivor = controller.Backend.Endpoints.Current.Functions.Single(f => f.Name == name).Endpoints[0].Url;
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            Assert.Equal("served", (await http.GetStringAsync(survivor + "/")).Trim());

            // Delete of a frozen function: thawed first, so stop and removal do not hang on it.
            Assert.Equal(BackendStatus.Accepted, (await controller.Backend.PauseAsync(name, "openfaas-fn")).Status);
            var frozen = (await ReplicaContainersAsync(name)).Single().Id;
            Assert.Equal(FreezerState.Frozen, CgroupFreezer.Read(await FreezerFileAsync(frozen)));
            Assert.Equal(BackendStatus.Accepted, (await controller.Backend.DeleteAsync(name, "openfaas-fn")).Status);
            Assert.Empty(await AllContainersAsync(name));
        }
        finally
        {
            await CleanUpAsync(controller, name);
        }
    }

    [Fact]
    public async Task Pause_UnknownFunction_IsNotFound()
    {
        var controller = await StartControllerAsync($"faas-t-{Guid.NewGuid().ToString("N")[..8]}");
        try
        {
            Assert.Null(controller.Backend.IsPaused("nope", "openfaas-fn"));
            Assert.Equal(BackendStatus.NotFound, (await controller.Backend.PauseAsync("nope", "openfaas-fn")).Status);
            Assert.Equal(BackendStatus.NotFound, (await controller.Backend.ResumeAsync("nope", "openfaas-fn")).Status);
        }
        finally
        {
            await controller.DisposeAsync();
        }
    }

    /// <summary>api: Docker reports the containers paused; cgroup: Docker reports them running, their freezer says frozen.</summary>
    private async Task AssertPausedAsync(DockerTestController controller, string name, List<string> ids, string freezer)
    {
        var table = controller.Backend.Endpoints.Current.Functions.Single(f => f.Name == name);
        Assert.True(table.Paused);
        Assert.Empty(table.Endpoints);
        Assert.Equal(ids.Count, table.Replicas);
        Assert.Equal(ids, (await ReplicaContainersAsync(name, freezer == "api" ? "paused" : "running")).Select(c => c.Id).Order().ToList());
        foreach (var id in ids)
        {
            var state = (await fixture.Client.Containers.InspectContainerAsync(id)).State!;
            Assert.Equal(freezer == "api", state.Paused);
            Assert.Equal(FreezerState.Frozen, CgroupFreezer.Read(await FreezerFileAsync(id)));
        }
    }

    private async Task AssertThawedAsync(List<string> ids)
    {
        foreach (var id in ids)
        {
            var state = (await fixture.Client.Containers.InspectContainerAsync(id)).State!;
            Assert.False(state.Paused);
            Assert.True(state.Running);
            Assert.Equal(FreezerState.Thawed, CgroupFreezer.Read(await FreezerFileAsync(id)));
        }
    }

    /// <summary>A frozen watchdog accepts the connection (the kernel does) but never answers.</summary>
    private static async Task AssertSilentAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        await Assert.ThrowsAnyAsync<Exception>(() => http.GetAsync(url + "/_/ready"));
    }

    /// <summary>The container's freezer as the controller finds it: init pid, then <c>/proc/&lt;pid&gt;/cgroup</c>.</summary>
    private async Task<CgroupFreezerFile> FreezerFileAsync(string id)
    {
        var pid = (await fixture.Client.Containers.InspectContainerAsync(id)).State!.Pid;
        var proc = await File.ReadAllTextAsync($"/proc/{pid}/cgroup");
        var file = CgroupFreezer.Locate(proc, id, "/sys/fs/cgroup", File.Exists("/sys/fs/cgroup/cgroup.controllers"));
        Assert.NotNull(file);
        return file;
    }

    private static async Task DeployAsync(DockerTestController controller, string name, int replicas)
    {
        using var deploy = await controller.Client.PostAsJsonAsync("/system/functions", new FunctionDeployment
        {
            Service = name,
            Image = controller.Image,
            Labels = new Dictionary<string, string> { ["com.openfaas.scale.min"] = replicas.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        });
        Assert.Equal(HttpStatusCode.Accepted, deploy.StatusCode);
    }

    private async Task CleanUpAsync(DockerTestController controller, string name)
    {
        try
        {
            if (controller.Backend.Exists(name, "openfaas-fn"))
            {
                await controller.Backend.DeleteAsync(name, "openfaas-fn");
            }
        }
        finally
        {
            await controller.DisposeAsync();
        }

        // Whatever a failed step left: thaw and remove.
        foreach (var c in await AllContainersAsync(name))
        {
            if (c.State == "paused")
            {
                await fixture.Client.Containers.UnpauseContainerAsync(c.Id);
            }

            await fixture.Client.Containers.RemoveContainerAsync(c.Id, force: true);
        }
    }

    private static Task WaitForEndpointsAsync(DockerBackend backend, string name, int count) =>
        WaitUntilAsync(() => Task.FromResult(backend.Endpoints.Current.Functions.SingleOrDefault(f => f.Name == name)?.Endpoints.Count == count));

    private Task<DockerTestController> StartControllerAsync(string network, string? freezer = "api") =>
        DockerTestController.StartAsync(fixture, network, freezer: freezer);

    private Task<List<ContainerSummary>> ReplicaContainersAsync(string name, string state = "running") =>
        DockerTestSupport.ReplicaContainersAsync(fixture.Client, name, state);

    private Task<List<ContainerSummary>> AllContainersAsync(string name) => DockerTestSupport.AllContainersAsync(fixture.Client, name);

    private static Task WaitUntilAsync(Func<Task<bool>> condition) => DockerTestSupport.WaitUntilAsync(condition, Patience);
}

using System.Net;
using System.Net.Http.Json;
using Faas.Contracts.Functions;
using Faas.Controller.Backends;
using Faas.Controller.Backends.Docker;
using Faas.Docker;

namespace Faas.Controller.Tests.Backends.Docker;

/// <summary>The warm tier (<c>docker pause</c>/<c>unpause</c>) of the Docker backend against the private dockerd.</summary>
[Collection(DockerBackendCollection.Name)]
public sealed class DockerWarmTierTests(DockerBackendFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task PauseResume_FreezesOffTheTable_AdoptsAfterRestart_WakesOnScale()
    {
        var network = $"faas-t-{Guid.NewGuid().ToString("N")[..8]}";
        var name = $"fw-{Guid.NewGuid().ToString("N")[..6]}";
        var controller = await StartControllerAsync(network);
        try
        {
            await DeployAsync(controller, name, replicas: 2);
            await WaitForEndpointsAsync(controller.Backend, name, 2);
            var ids = (await ReplicaContainersAsync(name)).Select(c => c.Id).Order().ToList();

            // 1. Pause: every container frozen, the function in the table as paused with no endpoint.
            Assert.Equal(BackendStatus.Accepted, (await controller.Backend.PauseAsync(name, "openfaas-fn")).Status);
            Assert.True(controller.Backend.IsPaused(name, "openfaas-fn"));
            await AssertPausedAsync(controller, name, ids);
            var status = await controller.Client.GetFromJsonAsync<FunctionStatus>($"/system/function/{name}");
            Assert.Equal(2UL, status!.Replicas);
            Assert.Equal(0UL, status.AvailableReplicas);

            // A reconcile pass neither replaces nor thaws the paused set.
            await controller.Backend.ReconcileAsync(CancellationToken.None);
            await AssertPausedAsync(controller, name, ids);

            // 2. A new controller adopts the paused containers paused.
            await controller.DisposeAsync();
            controller = await StartControllerAsync(network);
            await WaitUntilAsync(() => Task.FromResult(controller.Backend.IsPaused(name, "openfaas-fn") == true));
            await controller.Backend.ReconcileAsync(CancellationToken.None);
            await AssertPausedAsync(controller, name, ids);

            // 3. The gateway's wake-up (a scale request for the count it has) resumes them, on the table at once.
            using (var scale = await controller.Client.PostAsJsonAsync($"/system/scale-function/{name}", new { serviceName = name, replicas = 2 }))
            {
                Assert.Equal(HttpStatusCode.Accepted, scale.StatusCode);
            }

            var table = controller.Backend.Endpoints.Current.Functions.Single(f => f.Name == name);
            Assert.False(table.Paused);
            Assert.Equal(2, table.Endpoints.Count);
            Assert.False(controller.Backend.IsPaused(name, "openfaas-fn"));
            foreach (var id in ids)
            {
                var inspect = await fixture.Client.Containers.InspectContainerAsync(id);
                Assert.False(inspect.State!.Paused);
                Assert.True(inspect.State.Running);
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            Assert.Equal("served", (await http.GetStringAsync(table.Endpoints[0].Url + "/")).Trim());

            // 4. Pause and resume through IWarmTier again: same containers, nothing replaced.
            Assert.Equal(BackendStatus.Accepted, (await controller.Backend.PauseAsync(name, "openfaas-fn")).Status);
            await AssertPausedAsync(controller, name, ids);
            Assert.Equal(BackendStatus.Accepted, (await controller.Backend.ResumeAsync(name, "openfaas-fn")).Status);
            Assert.Equal(2, controller.Backend.Endpoints.Current.Functions.Single(f => f.Name == name).Endpoints.Count);
            Assert.Equal(ids, (await ReplicaContainersAsync(name)).Select(c => c.Id).Order().ToList());
        }
        finally
        {
            await CleanUpAsync(controller, name);
        }
    }

    [Fact]
    public async Task PausedReplicaKilled_FunctionResumesAndReplacesIt_DeleteRemovesPausedContainers()
    {
        var network = $"faas-t-{Guid.NewGuid().ToString("N")[..8]}";
        var name = $"fk-{Guid.NewGuid().ToString("N")[..6]}";
        var controller = await StartControllerAsync(network);
        try
        {
            await DeployAsync(controller, name, replicas: 2);
            await WaitForEndpointsAsync(controller.Backend, name, 2);
            var ids = (await ReplicaContainersAsync(name)).Select(c => c.Id).Order().ToList();
            Assert.Equal(BackendStatus.Accepted, (await controller.Backend.PauseAsync(name, "openfaas-fn")).Status);
            await AssertPausedAsync(controller, name, ids);

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
            Assert.All(await ReplicaContainersAsync(name, "paused"), c => Assert.Equal("paused", c.State));
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

    private async Task AssertPausedAsync(DockerTestController controller, string name, List<string> ids)
    {
        var table = controller.Backend.Endpoints.Current.Functions.Single(f => f.Name == name);
        Assert.True(table.Paused);
        Assert.Empty(table.Endpoints);
        Assert.Equal(2, table.Replicas);
        Assert.Equal(ids, (await ReplicaContainersAsync(name, "paused")).Select(c => c.Id).Order().ToList());
        foreach (var id in ids)
        {
            Assert.True((await fixture.Client.Containers.InspectContainerAsync(id)).State!.Paused);
        }
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

    private Task<DockerTestController> StartControllerAsync(string network) =>
        DockerTestController.StartAsync(fixture, network);

    private Task<List<ContainerSummary>> ReplicaContainersAsync(string name, string state = "running") =>
        DockerTestSupport.ReplicaContainersAsync(fixture.Client, name, state);

    private Task<List<ContainerSummary>> AllContainersAsync(string name) => DockerTestSupport.AllContainersAsync(fixture.Client, name);

    private static Task WaitUntilAsync(Func<Task<bool>> condition) => DockerTestSupport.WaitUntilAsync(condition, Patience);
}

using System.Net;
using System.Net.Http.Json;
using Faas.Contracts.Functions;
using Faas.Controller.Backends.Docker;
using Faas.Docker;

namespace Faas.Controller.Tests.Backends.Docker;

/// <summary>The Docker backend against a real private dockerd, through the controller's HTTP API.</summary>
[Collection(DockerBackendCollection.Name)]
public sealed class DockerBackendTests(DockerBackendFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Lifecycle_DeployScaleReplaceRecoverRemove()
    {
        var network = $"faas-t-{Guid.NewGuid().ToString("N")[..8]}";
        var name = $"fn-{Guid.NewGuid().ToString("N")[..6]}";
        var controller = await StartControllerAsync(network);
        try
        {
            // 1. Deploy: one container with the labels, on the platform's network, limits applied.
            using (var deploy = await controller.Client.PostAsJsonAsync("/system/functions", new FunctionDeployment
            {
                Service = name,
                Image = fixture.Image,
                EnvProcess = "cat",
                EnvVars = new Dictionary<string, string> { ["greeting"] = "hi" },
                Labels = new Dictionary<string, string> { ["team"] = "a" },
                Annotations = new Dictionary<string, string> { ["note"] = "n" },
                Limits = new FunctionResources { Memory = "64Mi", Cpu = "500m" },
                ReadOnlyRootFilesystem = true,
            }))
            {
                Assert.Equal(HttpStatusCode.Accepted, deploy.StatusCode);
            }

            var endpoints = await WaitForEndpointsAsync(controller.Backend, name, 1);
            using (var ready = await new HttpClient().GetAsync(endpoints[0] + "/_/ready"))
            {
                Assert.Equal(HttpStatusCode.OK, ready.StatusCode); // the host reaches the bridge IP directly
            }

            var containers = await ReplicaContainersAsync(name);
            var inspect = await fixture.Client.Containers.InspectContainerAsync(Assert.Single(containers).Id);
            var labels = inspect.Config!.Labels!;
            Assert.Equal(name, labels["com.faas.function"]);
            Assert.Equal("openfaas-fn", labels["com.faas.namespace"]);
            Assert.Equal("a", labels["com.faas.label.team"]);
            Assert.Equal("n", labels["com.faas.annotation.note"]);
            Assert.Contains(name, labels["com.faas.deployment"]);
            Assert.StartsWith(name + "-", inspect.Name!.TrimStart('/'));
            Assert.Equal(64L * 1024 * 1024, inspect.HostConfig!.Memory);
            Assert.Equal(500_000_000L, inspect.HostConfig.NanoCpus);
            Assert.True(inspect.HostConfig.ReadonlyRootfs);
            Assert.Equal("12000:12000", inspect.Config.User);
            Assert.Contains("fprocess=cat", inspect.Config.Env!);
            Assert.Contains("greeting=hi", inspect.Config.Env!);
            Assert.True(inspect.NetworkSettings!.Networks!.ContainsKey(network));

            // 2. Scale to 3.
            using (var scale = await controller.Client.PostAsJsonAsync($"/system/scale-function/{name}", new { serviceName = name, replicas = 3 }))
            {
                Assert.Equal(HttpStatusCode.Accepted, scale.StatusCode);
            }

            await WaitForEndpointsAsync(controller.Backend, name, 3);

            // 3. A killed container is replaced.
            var victim = (await ReplicaContainersAsync(name))[0];
            await fixture.Client.Containers.KillContainerAsync(victim.Id);
            await WaitUntilAsync(async () =>
            {
                var now = await ReplicaContainersAsync(name);
                return now.Count == 3 && now.All(c => c.Id != victim.Id && c.State == "running")
                    && controller.Backend.Endpoints.Current.Functions.Single(f => f.Name == name).Endpoints.Count == 3;
            });

            // 4. Logs through the Engine API.
            var logs = await controller.Client.GetStringAsync($"/system/logs?name={name}");
            Assert.Contains("replica up", logs);

            // 5. A new controller recovers the function from the labels alone and adopts the containers.
            var before = (await ReplicaContainersAsync(name)).Select(c => c.Id).Order().ToList();
            await controller.DisposeAsync();
            controller = await StartControllerAsync(network);
            await WaitForEndpointsAsync(controller.Backend, name, 3);
            var status = await controller.Client.GetFromJsonAsync<FunctionStatus>($"/system/function/{name}");
            Assert.Equal(3UL, status!.Replicas);
            Assert.Equal(fixture.Image, status.Image);
            Assert.Equal("a", status.Labels!["team"]);
            Assert.Equal(before, (await ReplicaContainersAsync(name)).Select(c => c.Id).Order().ToList());

            // 6. Update is rolling: a new generation replaces every replica, the count stays.
            using (var update = await controller.Client.PutAsJsonAsync("/system/functions", new FunctionDeployment
            {
                Service = name,
                Image = fixture.Image,
                EnvVars = new Dictionary<string, string> { ["greeting"] = "hello" },
            }))
            {
                Assert.Equal(HttpStatusCode.Accepted, update.StatusCode);
            }

            await WaitUntilAsync(async () =>
            {
                var now = await ReplicaContainersAsync(name);
                return now.Count == 3 && now.All(c => c.Labels!["com.faas.generation"] == "2" && !before.Contains(c.Id))
                    && controller.Backend.Endpoints.Current.Functions.Single(f => f.Name == name).Endpoints.Count == 3;
            });

            // 7. Remove: nothing is left, the empty network goes too.
            await DockerTestSupport.DeleteAndExpectNoContainersAsync(controller.Client, fixture.Client, name);
            var networks = await fixture.Client.Networks.ListNetworksAsync();
            Assert.DoesNotContain(networks, n => n.Name == network);
        }
        finally
        {
            await controller.DisposeAsync();
        }
    }

    [Fact]
    public async Task Deploy_OfAMissingImage_Is400AndLeavesNoContainer()
    {
        var name = $"fn-{Guid.NewGuid().ToString("N")[..6]}";
        await using var controller = await StartControllerAsync($"faas-t-{Guid.NewGuid().ToString("N")[..8]}");

        using var response = await controller.Client.PostAsJsonAsync("/system/functions", new FunctionDeployment { Service = name, Image = "faas-missing/image:nope" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("faas-missing/image:nope", await response.Content.ReadAsStringAsync());
        Assert.Empty(await AllContainersAsync(name));
    }

    [Fact]
    public async Task KilledContainer_IsReplacedOnItsDaemonEvent_WithoutWaitingForThePoll()
    {
        var name = $"fn-{Guid.NewGuid().ToString("N")[..6]}";

        // The safety-net poll is an hour: only the die event can start the replacement.
        await using var controller = await StartControllerAsync($"faas-t-{Guid.NewGuid().ToString("N")[..8]}", TimeSpan.FromHours(1));
        var victim = await DeployOneReplicaAsync(controller, name);
        await fixture.Client.Containers.KillContainerAsync(victim.Id);

        await WaitForReplacementAsync(controller, name, victim);
        await DockerTestSupport.DeleteAsync(controller.Client, name);
    }

    [Fact]
    public async Task DieEvent_OutranksAListingThatStillShowsTheReplicaRunning()
    {
        // dockerd sends "die" before its container list says "exited": the pass the event kicks may still
        // list the replica running (and, ready by an unused start-probe mark, call the function settled).
        var name = $"fn-{Guid.NewGuid().ToString("N")[..6]}";
        await using var controller = await StartControllerAsync($"faas-t-{Guid.NewGuid().ToString("N")[..8]}", TimeSpan.FromHours(1));
        var victim = await DeployOneReplicaAsync(controller, name);

        // The event as the watcher hands it on, for a container every listing still shows running and
        // ready: only the event can make a pass replace it (the poll is an hour).
        controller.Backend.OnContainerEvent("die", victim.Id);

        await WaitForReplacementAsync(controller, name, victim);
        Assert.DoesNotContain(await AllContainersAsync(name), c => c.Id == victim.Id);
        await DockerTestSupport.DeleteAsync(controller.Client, name);
    }

    private static async Task<List<string>> WaitForEndpointsAsync(DockerBackend backend, string name, int count)
    {
        List<string> urls = [];
        await WaitUntilAsync(() =>
        {
            urls = backend.Endpoints.Current.Functions.SingleOrDefault(f => f.Name == name)?.Endpoints.Select(e => e.Url).ToList() ?? [];
            return Task.FromResult(urls.Count == count);
        });
        return urls;
    }

    /// <summary>Deploys the test image and returns its one replica container once it is an endpoint.</summary>
    private async Task<ContainerSummary> DeployOneReplicaAsync(DockerTestController controller, string name)
    {
        using (var deploy = await controller.Client.PostAsJsonAsync("/system/functions", new FunctionDeployment { Service = name, Image = fixture.Image }))
        {
            Assert.Equal(HttpStatusCode.Accepted, deploy.StatusCode);
        }

        await WaitForEndpointsAsync(controller.Backend, name, 1);
        return Assert.Single(await ReplicaContainersAsync(name));
    }

    /// <summary>Waits until another container than <paramref name="victim"/> is the function's one replica and endpoint.</summary>
    private Task WaitForReplacementAsync(DockerTestController controller, string name, ContainerSummary victim) =>
        WaitUntilAsync(async () =>
        {
            var now = await ReplicaContainersAsync(name);
            return now.Count == 1 && now[0].Id != victim.Id
                && controller.Backend.Endpoints.Current.Functions.Single(f => f.Name == name).Endpoints.Count == 1;
        });

    private Task<DockerTestController> StartControllerAsync(string network, TimeSpan? pollInterval = null) =>
        DockerTestController.StartAsync(fixture, network, pollInterval);

    private Task<List<ContainerSummary>> ReplicaContainersAsync(string name, string state = "running") =>
        DockerTestSupport.ReplicaContainersAsync(fixture.Client, name, state);

    private Task<List<ContainerSummary>> AllContainersAsync(string name) => DockerTestSupport.AllContainersAsync(fixture.Client, name);

    private static Task WaitUntilAsync(Func<Task<bool>> condition) => DockerTestSupport.WaitUntilAsync(condition, Patience);
}

using System.Net;
using System.Net.Http.Json;
using Faas.Contracts.Functions;
using Faas.Controller.Backends.Docker;
using Faas.Docker;

namespace Faas.Controller.Tests.Backends.Docker;

/// <summary>Standbys in sandboxes (a running container holding the network namespace a wake joins), against the private dockerd.</summary>
[Collection(DockerBackendCollection.Name)]
public sealed class DockerSandboxTests(DockerBackendFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Standby_JoinsItsSandbox_TheWokenReplicaServesAtTheSandboxAddress_ALostSandboxIsReplaced()
    {
        var name = $"fb-{Guid.NewGuid().ToString("N")[..6]}";
        var network = NewNetwork();
        var controller = await StartControllerAsync(network);
        try
        {
            await DeployAsync(controller, name);
            await WaitForEndpointsAsync(controller.Backend, name, 1);

            // 1. The standby is created in the network namespace of a running sandbox of its own.
            var standby = await WaitForStandbyAsync(name, previous: null);
            var sandboxId = standby.Labels![DockerLabels.Sandbox];
            Assert.Equal($"container:{sandboxId}", (await fixture.Client.Containers.InspectContainerAsync(standby.Id)).HostConfig!.NetworkMode);
            var sandbox = await fixture.Client.Containers.InspectContainerAsync(sandboxId);
            Assert.True(sandbox.State!.Running);
            Assert.Equal(DockerBackend.SandboxImage, sandbox.Config!.Image);
            var sandboxAddress = sandbox.NetworkSettings!.Networks![controller.Backend.Options.Network].IPAddress;
            Assert.False(string.IsNullOrEmpty(sandboxAddress));

            // 2. Zero, then a wake: the standby is the replica, published at its sandbox's address, and answers there.
            await ScaleAsync(controller, name, 0);
            await WaitUntilAsync(async () => (await RunningAsync(name)).Count == 0);
            await ScaleAsync(controller, name, 1);
            await WaitForEndpointsAsync(controller.Backend, name, 1);
            Assert.Equal(standby.Id, Assert.Single(await RunningAsync(name)).Id);
            var url = EndpointUrl(controller.Backend, name);
            Assert.Equal(sandboxAddress, new Uri(url).Host);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(url + "/_/ready")).StatusCode);

            // 3. The next standby has a sandbox of its own (one replica per namespace: the port never clashes).
            var next = await WaitForStandbyAsync(name, previous: standby.Id);
            Assert.NotEqual(sandboxId, next.Labels![DockerLabels.Sandbox]);

            // 4. The replica's sandbox is killed: its namespace has no network left, so it is replaced
            //    (the standby is woken) and the dead sandbox is removed.
            await fixture.Client.Containers.KillContainerAsync(sandboxId);
            await WaitUntilAsync(async () =>
            {
                var running = await RunningAsync(name);
                return running.Count == 1 && running[0].Id != standby.Id
                    && controller.Backend.Endpoints.Current.Functions.Single(f => f.Name == name).Endpoints.Count == 1;
            });
            var replaced = EndpointUrl(controller.Backend, name);
            Assert.NotEqual(url, replaced);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(replaced + "/_/ready")).StatusCode);
            await WaitUntilAsync(async () => (await AllContainersAsync(name)).All(c => c.Id != sandboxId && c.Id != standby.Id));

            // 5. Delete removes every container of the function, sandboxes included.
            await DockerTestSupport.DeleteAndExpectNoContainersAsync(controller.Client, fixture.Client, name);
        }
        finally
        {
            await controller.DisposeAsync();
            await RemoveAllAsync(name);
        }
    }

    [Fact]
    public async Task StandbyWithoutItsSandbox_IsReplaced_AndSandboxesOff_GiveStandbysTheirOwnNetwork()
    {
        var name = $"fb-{Guid.NewGuid().ToString("N")[..6]}";
        var network = NewNetwork();
        var controller = await StartControllerAsync(network);
        try
        {
            // A standby whose sandbox stopped could never be reached: the next pass makes a new pair.
            await DeployAsync(controller, name);
            var standby = await WaitForStandbyAsync(name, previous: null);
            await fixture.Client.Containers.KillContainerAsync(standby.Labels![DockerLabels.Sandbox]);
            var next = await WaitForStandbyAsync(name, previous: standby.Id);
            Assert.True((await fixture.Client.Containers.InspectContainerAsync(next.Labels![DockerLabels.Sandbox])).State!.Running);
            await WaitUntilAsync(async () => (await AllContainersAsync(name)).All(c => c.Id != standby.Id && c.Id != standby.Labels[DockerLabels.Sandbox]));

            // docker_sandbox=false: a restarted controller keeps that standby (a wake still works), new ones get no sandbox.
            await controller.DisposeAsync();
            controller = await StartControllerAsync(network, "--docker_sandbox=false");
            await WaitForEndpointsAsync(controller.Backend, name, 1);
            await ScaleAsync(controller, name, 2);
            await WaitForEndpointsAsync(controller.Backend, name, 2);
            var own = await WaitForStandbyAsync(name, previous: next.Id);
            Assert.False(own.Labels!.ContainsKey(DockerLabels.Sandbox));
            Assert.Equal(controller.Backend.Options.Network, (await fixture.Client.Containers.InspectContainerAsync(own.Id)).HostConfig!.NetworkMode);
        }
        finally
        {
            await controller.DisposeAsync();
            await RemoveAllAsync(name);
        }
    }

    private static string NewNetwork() => $"faas-t-{Guid.NewGuid().ToString("N")[..8]}";

    private Task<DockerTestController> StartControllerAsync(string network, params string[] settings) =>
        DockerTestController.StartAsync(fixture, network, settings: settings);

    private async Task DeployAsync(DockerTestController controller, string name)
    {
        using var deploy = await controller.Client.PostAsJsonAsync("/system/functions", new FunctionDeployment { Service = name, Image = fixture.Image });
        Assert.Equal(HttpStatusCode.Accepted, deploy.StatusCode);
    }

    private static Task ScaleAsync(DockerTestController controller, string name, int replicas) =>
        DockerTestSupport.ScaleAsync(controller.Client, name, replicas);

    private static string EndpointUrl(DockerBackend backend, string name) =>
        backend.Endpoints.Current.Functions.Single(f => f.Name == name).Endpoints.Single().Url;

    /// <summary>The one standby of the function, once it is not <paramref name="previous"/>.</summary>
    private async Task<ContainerSummary> WaitForStandbyAsync(string name, string? previous)
    {
        ContainerSummary? found = null;
        await WaitUntilAsync(async () =>
        {
            var standbys = await DockerTestSupport.StandbysAsync(fixture.Client, name);
            found = standbys.Count == 1 && standbys[0].Id != previous ? standbys[0] : null;
            return found is not null;
        });
        return found!;
    }

    private Task<List<ContainerSummary>> RunningAsync(string name) => DockerTestSupport.ReplicaContainersAsync(fixture.Client, name);

    private Task<List<ContainerSummary>> AllContainersAsync(string name) => DockerTestSupport.AllContainersAsync(fixture.Client, name);

    private Task RemoveAllAsync(string name) => DockerTestSupport.RemoveAllAsync(fixture.Client, name);

    private static Task WaitForEndpointsAsync(DockerBackend backend, string name, int count) =>
        DockerTestSupport.WaitForEndpointsAsync(backend, name, count, Patience);

    private static Task WaitUntilAsync(Func<Task<bool>> condition) => DockerTestSupport.WaitUntilAsync(condition, Patience);
}

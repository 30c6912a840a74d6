using System.Net;
using System.Net.Http.Json;
using System.Text;
using Faas.Contracts.Functions;
using Faas.Controller.Backends.Docker;
using Faas.Docker;

namespace Faas.Controller.Tests.Backends.Docker;

/// <summary>Standby containers (created ahead of need, started on a wake) and start probes, against the private dockerd.</summary>
[Collection(DockerBackendCollection.Name)]
public sealed class DockerStandbyTests(DockerBackendFixture fixture)
{
    private const string Ns = "openfaas-fn";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Standby_IsStartedOnWake_ReplacedOnUpdate_AdoptedAfterRestart_RemovedOnDelete()
    {
        var network = $"faas-t-{Guid.NewGuid().ToString("N")[..8]}";
        var name = $"fs-{Guid.NewGuid().ToString("N")[..6]}";
        var controller = await StartControllerAsync(network);
        try
        {
            // 1. Deploy: one replica, then one created (never started) standby that is no endpoint.
            using (var deploy = await controller.Client.PostAsJsonAsync("/system/functions", new FunctionDeployment { Service = name, Image = fixture.Image }))
            {
                Assert.Equal(HttpStatusCode.Accepted, deploy.StatusCode);
            }

            await WaitForEndpointsAsync(controller.Backend, name, 1);
            var standby = await WaitForStandbyAsync(name, generation: "1");
            AssertNotAnEndpoint(controller.Backend, name, standby);
            var status = await controller.Client.GetFromJsonAsync<FunctionStatus>($"/system/function/{name}");
            Assert.Equal(1UL, status!.Replicas);
            Assert.Equal(1UL, status.AvailableReplicas);

            // 2. Scale to zero: the replica goes, the standby stays.
            await ScaleAsync(controller, name, 0);
            await WaitUntilAsync(async () => (await RunningAsync(name)).Count == 0);
            await controller.Backend.ReconcileAsync(CancellationToken.None);
            Assert.Equal(standby.Id, Assert.Single(await StandbysAsync(name)).Id);

            // 3. Wake: the standby's container becomes the replica, published once ready; a new standby follows.
            await ScaleAsync(controller, name, 1);
            await WaitForEndpointsAsync(controller.Backend, name, 1);
            Assert.Equal(standby.Id, Assert.Single(await RunningAsync(name)).Id);
            Assert.Equal(standby.Labels!["com.faas.replica"], controller.Backend.Endpoints.Current.Functions.Single(f => f.Name == name).Endpoints.Single().Replica);
            var next = await WaitForStandbyAsync(name, generation: "1");
            Assert.NotEqual(standby.Id, next.Id);
            AssertNotAnEndpoint(controller.Backend, name, next);

            // 4. Update: the standby of the old generation is replaced by one of the new.
            using (var update = await controller.Client.PutAsJsonAsync("/system/functions", new FunctionDeployment
            {
                Service = name,
                Image = fixture.Image,
                EnvVars = new Dictionary<string, string> { ["greeting"] = "hello" },
            }))
            {
                Assert.Equal(HttpStatusCode.Accepted, update.StatusCode);
            }

            var updated = await WaitForStandbyAsync(name, generation: "2");
            Assert.Contains("greeting=hello", (await fixture.Client.Containers.InspectContainerAsync(updated.Id)).Config!.Env!);
            await WaitUntilAsync(async () => (await AllContainersAsync(name)).All(c => c.Id != next.Id));

            // 5. A new controller adopts the standby (no orphan removal, no second one) and wakes it.
            await controller.DisposeAsync();
            controller = await StartControllerAsync(network);
            await WaitForEndpointsAsync(controller.Backend, name, 1);
            await controller.Backend.ReconcileAsync(CancellationToken.None);
            Assert.Equal(updated.Id, Assert.Single(await StandbysAsync(name)).Id);
            await ScaleAsync(controller, name, 2);
            await WaitForEndpointsAsync(controller.Backend, name, 2);
            Assert.Contains(updated.Id, (await RunningAsync(name)).Select(c => c.Id));

            // 6. Delete: nothing is left, standby included.
            await DockerTestSupport.DeleteAndExpectNoContainersAsync(controller.Client, fixture.Client, name);
        }
        finally
        {
            await controller.DisposeAsync();
            await RemoveAllAsync(name);
        }
    }

    [Fact]
    public async Task StandbyLabelFalse_KeepsNoStandby_AndAnInvalidValueIs400()
    {
        var name = $"fs-{Guid.NewGuid().ToString("N")[..6]}";
        await using var controller = await StartControllerAsync($"faas-t-{Guid.NewGuid().ToString("N")[..8]}");
        try
        {
            using (var invalid = await controller.Client.PostAsJsonAsync("/system/functions", new FunctionDeployment
            {
                Service = name,
                Image = fixture.Image,
                Labels = new Dictionary<string, string> { [DockerBackend.StandbyLabel] = "sometimes" },
            }))
            {
                Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
                Assert.Contains(DockerBackend.StandbyLabel, await invalid.Content.ReadAsStringAsync());
            }

            using (var deploy = await controller.Client.PostAsJsonAsync("/system/functions", new FunctionDeployment
            {
                Service = name,
                Image = fixture.Image,
                Labels = new Dictionary<string, string> { [DockerBackend.StandbyLabel] = "false" },
            }))
            {
                Assert.Equal(HttpStatusCode.Accepted, deploy.StatusCode);
            }

            await WaitForEndpointsAsync(controller.Backend, name, 1);

            // A pass that sees the replica ready would create a standby here if the label were ignored.
            await WaitUntilAsync(async () =>
            {
                await controller.Backend.ReconcileAsync(CancellationToken.None);
                return controller.Backend.ReplicasOf(name, Ns).All(r => r.Ready);
            });
            await controller.Backend.ReconcileAsync(CancellationToken.None);
            Assert.Empty(await StandbysAsync(name));
            Assert.Single(await AllContainersAsync(name), c => c.Labels!["com.faas.role"] == "replica");
        }
        finally
        {
            await RemoveAllAsync(name);
        }
    }

    [Fact]
    public async Task StartedReplica_IsPublishedByItsStartProbe_OnlyOnceReady()
    {
        // The watchdog stand-in serves at once but answers /_/ready (404 before) only after 2 s.
        var image = $"faas-backend-test-slowready:{fixture.Daemon.RunId}";
        await BuildSlowReadyImageAsync(image);
        var name = $"fs-{Guid.NewGuid().ToString("N")[..6]}";

        // Passes only on kicks (polls of an hour): the container's start event comes long before
        // it is ready, so only the start probe can put it on the table in time.
        await using var controller = await StartControllerAsync($"faas-t-{Guid.NewGuid().ToString("N")[..8]}", TimeSpan.FromHours(1));
        try
        {
            using (var deploy = await controller.Client.PostAsJsonAsync("/system/functions", new FunctionDeployment
            {
                Service = name,
                Image = image,
                Labels = new Dictionary<string, string> { [DockerBackend.StandbyLabel] = "false" },
            }))
            {
                Assert.Equal(HttpStatusCode.Accepted, deploy.StatusCode);
            }

            // Every table version that lists the replica: its /_/ready already answers 200.
            using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            using var deadline = new CancellationTokenSource(Patience);
            var version = 0L;
            string? url = null;
            while (url is null)
            {
                await controller.Backend.Endpoints.WaitForChangeAsync(version, deadline.Token);
                var snapshot = controller.Backend.Endpoints.Current;
                version = snapshot.Version;
                url = snapshot.Functions.SingleOrDefault(f => f.Name == name)?.Endpoints.SingleOrDefault()?.Url;
            }

            using var ready = await probe.GetAsync(url + "/_/ready");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
        finally
        {
            await RemoveAllAsync(name);
        }
    }

    private async Task BuildSlowReadyImageAsync(string image)
    {
        var dockerfile = $"FROM {fixture.Daemon.BaseImage}\n" +
            "CMD [\"/bin/busybox\", \"sh\", \"-c\", \"mkdir -p /tmp/www/_; echo served > /tmp/www/index.html; (sleep 2; echo OK > /tmp/www/_/ready) & exec /bin/busybox httpd -f -p 8080 -h /tmp/www\"]\n";
        using var context = await BuildContext.FromFilesAsync(new Dictionary<string, byte[]> { ["Dockerfile"] = Encoding.UTF8.GetBytes(dockerfile) });
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var _ in fixture.Client.Images.BuildImageAsync(context, new ImageBuildParameters { Tags = [image] }, deadline.Token))
        {
        }
    }

    private static void AssertNotAnEndpoint(DockerBackend backend, string name, ContainerSummary standby)
    {
        var replica = standby.Labels!["com.faas.replica"];
        Assert.DoesNotContain(backend.Endpoints.Current.Functions.Single(f => f.Name == name).Endpoints, e => e.Replica == replica);
        Assert.DoesNotContain(backend.ReplicasOf(name, Ns), r => r.ContainerId == standby.Id);
    }

    private static Task ScaleAsync(DockerTestController controller, string name, int replicas) =>
        DockerTestSupport.ScaleAsync(controller.Client, name, replicas);

    private async Task<ContainerSummary> WaitForStandbyAsync(string name, string generation)
    {
        ContainerSummary? found = null;
        await WaitUntilAsync(async () =>
        {
            var standbys = await StandbysAsync(name);
            found = standbys.Count == 1 && standbys[0].Labels!["com.faas.generation"] == generation ? standbys[0] : null;
            return found is not null;
        });
        return found!;
    }

    private Task<List<ContainerSummary>> StandbysAsync(string name) => DockerTestSupport.StandbysAsync(fixture.Client, name);

    private Task<List<ContainerSummary>> RunningAsync(string name) => DockerTestSupport.ReplicaContainersAsync(fixture.Client, name);

    private Task RemoveAllAsync(string name) => DockerTestSupport.RemoveAllAsync(fixture.Client, name);

    private static Task WaitForEndpointsAsync(DockerBackend backend, string name, int count) =>
        DockerTestSupport.WaitForEndpointsAsync(backend, name, count, Patience);

    private Task<DockerTestController> StartControllerAsync(string network, TimeSpan? pollInterval = null) =>
        DockerTestController.StartAsync(fixture, network, pollInterval, busyToo: true);

    private Task<List<ContainerSummary>> AllContainersAsync(string name) => DockerTestSupport.AllContainersAsync(fixture.Client, name);

    private static Task WaitUntilAsync(Func<Task<bool>> condition) => DockerTestSupport.WaitUntilAsync(condition, Patience);
}

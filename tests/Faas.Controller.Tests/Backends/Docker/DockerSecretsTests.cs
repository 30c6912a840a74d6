using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Faas.Contracts.Functions;
using Faas.Controller.Backends.Docker;
using Faas.Docker;

namespace Faas.Controller.Tests.Backends.Docker;

/// <summary>
/// Secrets on the Docker backend against the private dockerd: the replica (uid 12000) reads
/// <c>/var/openfaas/secrets/&lt;name&gt;</c>, the mount is read-only, and an update is seen by the
/// running container without a new one. The test image serves <c>/var/openfaas/secrets</c>
/// through busybox httpd, so the host reads what the container sees.
/// </summary>
[Collection(DockerBackendCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DockerSecretsTests(DockerBackendFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task SecretFile_IsReadableInside_ReadOnly_AndUpdatedLive()
    {
        var image = await BuildSecretServerImageAsync();
        var network = $"faas-t-{Guid.NewGuid().ToString("N")[..8]}";
        var name = $"sec-{Guid.NewGuid().ToString("N")[..6]}";
        var stateDir = Directory.CreateTempSubdirectory("faas-docker-secrets-").FullName;
        var app = Program.Build(
            ["--port=0", "--backend=docker", $"--docker_network={network}", "--replica_drain_timeout=1s", "--state_dir=" + stateDir, "--Logging:LogLevel:Default=Warning"],
            services => services.AddSingleton(fixture.Client));
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };
        var backend = app.Services.GetRequiredService<DockerBackend>();
        try
        {
            using (var create = await client.PostAsJsonAsync("/system/secrets", new { name = "api-key", value = "v1" }))
            {
                Assert.Equal(HttpStatusCode.Accepted, create.StatusCode);
            }

            using (var deploy = await client.PostAsJsonAsync("/system/functions", new FunctionDeployment { Service = name, Image = image, Secrets = ["api-key"] }))
            {
                Assert.Equal(HttpStatusCode.Accepted, deploy.StatusCode);
            }

            var url = await WaitForEndpointAsync(backend, name);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            Assert.Equal("v1", await http.GetStringAsync(url + "/secrets/api-key"));
            Assert.Equal("readonly", (await http.GetStringAsync(url + "/ro")).Trim());

            var container = Assert.Single(await ReplicasAsync(name));
            var inspect = await fixture.Client.Containers.InspectContainerAsync(container.Id);
            var mount = Assert.Single(inspect.HostConfig!.Mounts!);
            Assert.Equal("/var/openfaas/secrets", mount.Target);
            Assert.True(mount.ReadOnly);
            Assert.Equal(Path.Combine(stateDir, "secrets", "openfaas-fn", name), mount.Source);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(stateDir, "secrets")));

            // Live update: same container, new value.
            using (var update = await client.PutAsJsonAsync("/system/secrets", new { name = "api-key", value = "v2" }))
            {
                Assert.Equal(HttpStatusCode.Accepted, update.StatusCode);
            }

            Assert.Equal("v2", await http.GetStringAsync(url + "/secrets/api-key"));
            Assert.Equal(container.Id, Assert.Single(await ReplicasAsync(name)).Id);

            using (var inUse = await client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/system/secrets") { Content = JsonContent.Create(new { name = "api-key" }) }))
            {
                Assert.Equal(HttpStatusCode.Conflict, inUse.StatusCode);
            }

            await DockerTestSupport.DeleteAsync(client, name);

            Assert.False(Directory.Exists(Path.Combine(stateDir, "secrets", "openfaas-fn", name)));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            foreach (var c in await AllContainersAsync(name))
            {
                await fixture.Client.Containers.RemoveContainerAsync(c.Id, force: true);
            }

            Directory.Delete(stateDir, recursive: true);
        }
    }

    private async Task<string> BuildSecretServerImageAsync()
    {
        var tag = $"faas-secrets-test-httpd:{fixture.Daemon.RunId}";
        var script = "mkdir -p /tmp/www/_ && echo OK > /tmp/www/_/ready && ln -s /var/openfaas/secrets /tmp/www/secrets"
            + " && ( (echo x > /var/openfaas/secrets/probe) 2>/dev/null && echo writable || echo readonly ) > /tmp/www/ro"
            + " && exec /bin/busybox httpd -f -p 8080 -h /tmp/www";
        var dockerfile = $"FROM {fixture.Daemon.BaseImage}\nCMD [\"/bin/busybox\", \"sh\", \"-c\", \"{script}\"]\n";
        using var context = await BuildContext.FromFilesAsync(new Dictionary<string, byte[]> { ["Dockerfile"] = Encoding.UTF8.GetBytes(dockerfile) });
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var _ in fixture.Client.Images.BuildImageAsync(context, new ImageBuildParameters { Tags = [tag] }, deadline.Token))
        {
        }

        return tag;
    }

    private async Task<List<ContainerSummary>> ReplicasAsync(string name) =>
        (await AllContainersAsync(name)).Where(c => c.Labels?.GetValueOrDefault("com.faas.role") == "replica" && c.State == "running").ToList();

    private async Task<List<ContainerSummary>> AllContainersAsync(string name) =>
        (await fixture.Client.Containers.ListContainersAsync(new ContainerListParameters
        {
            All = true,
            Filters = new Dictionary<string, IList<string>> { ["label"] = [$"com.faas.function={name}"] },
        })).ToList();

    private static async Task<string> WaitForEndpointAsync(DockerBackend backend, string name)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var urls = backend.Endpoints.Current.Functions.SingleOrDefault(f => f.Name == name)?.Endpoints.Select(e => e.Url).ToList() ?? [];
            if (urls.Count == 1)
            {
                return urls[0];
            }

            Assert.True(clock.Elapsed < Patience, $"no ready replica of {name} within {Patience}");
            await Task.Delay(100);
        }
    }
}

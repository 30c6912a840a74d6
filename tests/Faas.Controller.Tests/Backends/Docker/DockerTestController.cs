using System.Diagnostics;
using System.Net.Http.Json;
using Faas.Controller.Backends.Docker;
using Faas.Docker;

namespace Faas.Controller.Tests.Backends.Docker;

/// <summary>
/// A controller (backend=docker) on the fixture's private dockerd, as the Docker backend tests start it:
/// ephemeral port, its own bridge network, 1 s drain. Disposing twice is harmless (tests restart it).
/// </summary>
internal sealed class DockerTestController(WebApplication app, string image) : IAsyncDisposable
{
    private bool _disposed;

    public HttpClient Client { get; } = new() { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };

    public DockerBackend Backend => app.Services.GetRequiredService<DockerBackend>();

    /// <summary>The fixture's test image (answers on the watchdog port).</summary>
    public string Image => image;

    /// <param name="pollInterval">Replaces the backend's safety-net poll (and with <paramref name="busyToo"/> its busy pass interval), so only events and start probes move it.</param>
    /// <param name="freezer"><c>docker_freezer</c> (auto when null).</param>
    /// <param name="settings">More controller keys, e.g. <c>--docker_sandbox=false</c>.</param>
    /// <param name="procRoot">Where the backend reads <c>/proc</c> (replica CPU), when not the real one.</param>
    public static async Task<DockerTestController> StartAsync(DockerBackendFixture fixture, string network, TimeSpan? pollInterval = null, bool busyToo = false, string? freezer = null, IEnumerable<string>? settings = null, string? procRoot = null)
    {
        var app = Program.Build(
            ["--port=0", "--backend=docker", $"--docker_network={network}", "--replica_drain_timeout=1s", "--state_dir=" + Path.Combine(Path.GetTempPath(), "faas-docker-backend-unused"), "--Logging:LogLevel:Default=Warning", $"--docker_freezer={freezer ?? "auto"}", .. settings ?? []],
            services =>
            {
                services.AddSingleton(fixture.Client);
                if (pollInterval is not null || procRoot is not null)
                {
                    services.AddSingleton(sp => new DockerBackend(
                        sp.GetRequiredService<Faas.Controller.Configuration.ControllerOptions>(),
                        sp.GetRequiredService<DockerBackendOptions>(),
                        sp.GetRequiredService<DockerClient>(),
                        TimeProvider.System,
                        sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<DockerBackend>>())
                    {
                        ReconcileInterval = pollInterval ?? DockerBackend.DefaultReconcileInterval,
                        BusyInterval = pollInterval is { } interval && busyToo ? interval : DockerBackend.DefaultBusyInterval,
                        ProcRoot = procRoot ?? DockerBackend.DefaultProcRoot,
                    });
                }
            });
        await app.StartAsync();
        return new DockerTestController(app, fixture.Image);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>Container queries and bounded waits the Docker backend tests share.</summary>
internal static class DockerTestSupport
{
    public static async Task<List<ContainerSummary>> AllContainersAsync(DockerClient client, string name) =>
        (await client.Containers.ListContainersAsync(new ContainerListParameters
        {
            All = true,
            Filters = new Dictionary<string, IList<string>> { ["label"] = [$"com.faas.function={name}"] },
        })).ToList();

    /// <summary>Replica containers (standbys included, by state) of a function, ordered by id.</summary>
    public static async Task<List<ContainerSummary>> ReplicaContainersAsync(DockerClient client, string name, string state = "running") =>
        (await AllContainersAsync(client, name)).Where(c => c.Labels?.GetValueOrDefault("com.faas.role") == "replica" && c.State == state).OrderBy(c => c.Id).ToList();

    /// <summary>Standbys of a function: created, never started, labelled <c>com.faas.standby</c>.</summary>
    public static async Task<List<ContainerSummary>> StandbysAsync(DockerClient client, string name) =>
        (await AllContainersAsync(client, name)).Where(c => c.State == "created" && c.Labels?.GetValueOrDefault("com.faas.standby") == "true").ToList();

    /// <summary><c>POST /system/scale-function/{name}</c>, which must be accepted.</summary>
    public static async Task ScaleAsync(HttpClient controller, string name, int replicas)
    {
        using var scale = await controller.PostAsJsonAsync($"/system/scale-function/{name}", new { serviceName = name, replicas });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, scale.StatusCode);
    }

    /// <summary><c>DELETE /system/functions</c>, which must be accepted.</summary>
    public static async Task DeleteAsync(HttpClient controller, string name)
    {
        using var delete = await controller.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/system/functions") { Content = JsonContent.Create(new { functionName = name }) });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, delete.StatusCode);
    }

    /// <summary>Deletes the function and checks that none of its containers (standby and sandboxes included) is left.</summary>
    public static async Task DeleteAndExpectNoContainersAsync(HttpClient controller, DockerClient client, string name)
    {
        await DeleteAsync(controller, name);
        Assert.Empty(await AllContainersAsync(client, name));
    }

    /// <summary>Waits until the backend's endpoint table lists <paramref name="count"/> replicas of the function.</summary>
    public static Task WaitForEndpointsAsync(DockerBackend backend, string name, int count, TimeSpan patience) =>
        WaitUntilAsync(() => Task.FromResult(backend.Endpoints.Current.Functions.SingleOrDefault(f => f.Name == name)?.Endpoints.Count == count), patience);

    /// <summary>Clean-up: every container of the function, whatever the test left.</summary>
    public static async Task RemoveAllAsync(DockerClient client, string name)
    {
        foreach (var c in await AllContainersAsync(client, name))
        {
            await client.Containers.RemoveContainerAsync(c.Id, force: true);
        }
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan patience)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < patience, "condition not met in time");
            await Task.Delay(100);
        }
    }
}

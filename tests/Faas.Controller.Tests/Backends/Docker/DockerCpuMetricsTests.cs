using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Faas.Contracts.Functions;
using Faas.Controller.Backends.Docker;
using Faas.Docker;

namespace Faas.Controller.Tests.Backends.Docker;

/// <summary>
/// <c>function_cpu_seconds_total</c> on the controller's <c>/metrics</c> for Docker replicas, against the
/// private dockerd (the controller runs beside it, so the containers' processes are in this /proc).
/// </summary>
[Collection(DockerBackendCollection.Name)]
public sealed class DockerCpuMetricsTests(DockerBackendFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task BusyContainer_ItsReplicaSeriesGrows_AndEndsWhenTheReplicaIsGone()
    {
        var image = $"faas-cpu-test-busy:{fixture.Daemon.RunId}";
        await BuildBusyImageAsync(image);
        var name = $"fn-{Guid.NewGuid().ToString("N")[..6]}";
        await using var controller = await DockerTestController.StartAsync(fixture, $"faas-t-{Guid.NewGuid().ToString("N")[..8]}");
        await DeployAsync(controller, name, image);
        var container = await WaitForOneReplicaAsync(controller, name);

        // The replica label is the container's replica id; the value counts the container's busy
        // loop, an orphan re-parented to the container's init (httpd), so a descendant of State.Pid.
        var replica = container.Labels!["com.faas.replica"];
        double first = 0;
        await WaitUntilAsync(async () => (first = Series(await ScrapeAsync(controller), name).GetValueOrDefault(replica, -1)) >= 0);
        double now = first;
        await WaitUntilAsync(async () => (now = Series(await ScrapeAsync(controller), name).GetValueOrDefault(replica, -1)) >= first + 0.2);
        Assert.Equal(controller.Backend.CachedPid(container.Id), (await fixture.Client.Containers.InspectContainerAsync(container.Id)).State!.Pid);

        // Scaled to zero: the container is removed and its series ends.
        await DockerTestSupport.ScaleAsync(controller.Client, name, 0);

        await WaitUntilAsync(async () => Series(await ScrapeAsync(controller), name).Count == 0);
        await DeleteAsync(controller, name);
    }

    [Fact]
    public async Task ContainerProcessNotInThisProc_ExposesNoSeries()
    {
        // An empty /proc stands in for a controller in a container or on another machine than the daemon.
        using var proc = new TempDir();
        var name = $"fn-{Guid.NewGuid().ToString("N")[..6]}";
        await using var controller = await StartControllerAsync($"faas-t-{Guid.NewGuid().ToString("N")[..8]}", proc.Path);
        await DeployAsync(controller, name, fixture.Image);
        var container = await WaitForOneReplicaAsync(controller, name);

        // Scrapes trigger the inspect; once it answered, the container is known as not visible here.
        await WaitUntilAsync(async () =>
        {
            await ScrapeAsync(controller);
            return controller.Backend.CachedPid(container.Id) == 0;
        });

        Assert.Empty(Series(await ScrapeAsync(controller), name));
        await DeleteAsync(controller, name);
    }

    /// <summary>The stand-in replica (busybox httpd) plus a loop that burns CPU in short bursts (about 10 % of a core).</summary>
    /// <remarks>
    /// The folder is made before anything goes to the background: <c>a &amp;&amp; b &amp;&amp; (loop) &amp;</c> backgrounds
    /// the whole list, and on a busy machine httpd then started before its folder existed and exited 1 (a crash loop).
    /// </remarks>
    private async Task BuildBusyImageAsync(string image)
    {
        var dockerfile = $"FROM {fixture.Daemon.BaseImage}\n" +
            "CMD [\"/bin/busybox\", \"sh\", \"-c\", \"mkdir -p /tmp/www/_ && echo OK > /tmp/www/_/ready || exit 1; " +
            "(while :; do i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; /bin/busybox sleep 1; done) & " +
            "exec /bin/busybox httpd -f -p 8080 -h /tmp/www\"]\n";
        using var context = await BuildContext.FromFilesAsync(new Dictionary<string, byte[]> { ["Dockerfile"] = Encoding.UTF8.GetBytes(dockerfile) });
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var _ in fixture.Client.Images.BuildImageAsync(context, new ImageBuildParameters { Tags = [image] }, deadline.Token))
        {
        }
    }

    private static async Task DeployAsync(DockerTestController controller, string name, string image)
    {
        using var deploy = await controller.Client.PostAsJsonAsync("/system/functions", new FunctionDeployment { Service = name, Image = image });
        Assert.Equal(HttpStatusCode.Accepted, deploy.StatusCode);
    }

    private static async Task DeleteAsync(DockerTestController controller, string name)
    {
        await DockerTestSupport.DeleteAsync(controller.Client, name);
    }

    private async Task<ContainerSummary> WaitForOneReplicaAsync(DockerTestController controller, string name)
    {
        await DockerTestSupport.WaitForEndpointsAsync(controller.Backend, name, 1, Patience);
        return Assert.Single(await DockerTestSupport.ReplicaContainersAsync(fixture.Client, name));
    }

    private static Task<string> ScrapeAsync(DockerTestController controller) => controller.Client.GetStringAsync("/metrics");

    /// <summary>replica -> CPU seconds of the function's series in a scrape.</summary>
    private static Dictionary<string, double> Series(string exposition, string name)
    {
        var pattern = new Regex($"^function_cpu_seconds_total\\{{function_name=\"{Regex.Escape(name)}\\.openfaas-fn\",replica=\"([^\"]+)\"\\}} (\\S+)$", RegexOptions.Multiline);
        return pattern.Matches(exposition).ToDictionary(m => m.Groups[1].Value, m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>A controller whose Docker backend reads <paramref name="procRoot"/> instead of /proc.</summary>
    private Task<DockerTestController> StartControllerAsync(string network, string procRoot) =>
        DockerTestController.StartAsync(fixture, network, procRoot: procRoot);

    private static Task WaitUntilAsync(Func<Task<bool>> condition) => DockerTestSupport.WaitUntilAsync(condition, Patience);
}

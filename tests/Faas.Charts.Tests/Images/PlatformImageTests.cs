using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Faas.Charts.Tests.Rendering;
using Faas.Docker;
using Faas.Testing.Docker;

namespace Faas.Charts.Tests.Images;

/// <summary>
/// The images the chart runs, built offline by scripts/build-platform-images.sh (runtime image imported
/// from this host, components published on the host, Dockerfiles' `local` target) on a private dockerd,
/// then started as the chart starts them: non-root, read-only root filesystem, the gateway pointed at
/// the controller (sharing its network namespace, like two containers of one pod). The Dockerfiles'
/// from-source target needs the SDK image and NuGet inside Docker: scripts/check-images-from-source.sh, not this test.
/// </summary>
public sealed class PlatformImageTests(DockerDaemonFixture daemon) : IClassFixture<DockerDaemonFixture>
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task GatewayAndControllerImages_RunNonRoot_AndAnswerThroughEachOther()
    {
        var tag = daemon.RunId;
        var runtimeImage = $"faas-test/dotnet-runtime:{tag}";
        var gatewayImage = $"faas-test/gateway:{tag}";
        var controllerImage = $"faas-test/controller:{tag}";
        try
        {
            await RunScriptAsync(
                ("DOCKER_HOST", daemon.DockerHost),
                ("FAAS_RUNTIME_IMAGE", runtimeImage),
                ("FAAS_GATEWAY_IMAGE", gatewayImage),
                ("FAAS_CONTROLLER_IMAGE", controllerImage));
            await StartAndCallAsync(tag, gatewayImage, controllerImage);
        }
        finally
        {
            // The fixture removes this run's networks; containers and images go here (a shared daemon keeps them otherwise).
            foreach (var container in await daemon.Client.Containers.ListContainersAsync(new ContainerListParameters { Labels = [$"{DockerDaemonFixture.RunLabel}={daemon.RunId}"] }))
            {
                await daemon.Client.Containers.RemoveContainerAsync(container.Id, force: true);
            }

            foreach (var image in new[] { gatewayImage, controllerImage, runtimeImage })
            {
                try
                {
                    await daemon.Client.Images.DeleteImageAsync(image, force: true);
                }
                catch (DockerException)
                {
                    // Not built (the script failed first), or already gone.
                }
            }
        }
    }

    private async Task StartAndCallAsync(string tag, string gatewayImage, string controllerImage)
    {
        var labels = new Dictionary<string, string> { [DockerDaemonFixture.RunLabel] = daemon.RunId };
        var network = $"faas-images-{tag}";
        await daemon.Client.Networks.CreateNetworkAsync(new NetworkCreateParameters { Name = network, Labels = labels });

        // The controller as the chart runs it, but on the process backend: its Kubernetes backend is a later step.
        var controller = await StartAsync(controllerImage, $"faas-controller-{tag}", network, labels, "backend=process");
        // The gateway shares the controller's network namespace, as containers of one pod do: traffic
        // between two containers on a bridge can be dropped by the host's FORWARD policy, which tests leave alone.
        var gateway = await StartAsync(gatewayImage, $"faas-gateway-{tag}", $"container:{controller}", labels, "functions_provider_url=http://127.0.0.1:8081");
        var address = await AddressAsync(controller);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        Assert.Equal("OK", await WaitForOkAsync(http, $"http://{address}:8080/healthz", gateway));
        Assert.Equal("OK", await WaitForOkAsync(http, $"http://{address}:8082/healthz", gateway));
        await WaitForOkAsync(http, $"http://{address}:8081/healthz", controller);

        // /system/info is answered by the gateway with the controller's provider info: the two images talk.
        using var info = JsonDocument.Parse(await WaitForOkAsync(http, $"http://{address}:8080/system/info", gateway));
        Assert.Equal("faas-controller", info.RootElement.GetProperty("provider").GetProperty("provider").GetString());

        foreach (var id in new[] { gateway, controller })
        {
            var inspect = await daemon.Client.Containers.InspectContainerAsync(id);
            Assert.True(inspect.State!.Running, $"{inspect.Name} stopped:\n{await LogsAsync(id)}");
            Assert.Equal("12000:12000", inspect.Config!.User);
        }
    }

    private async Task<string> StartAsync(string image, string name, string networkMode, Dictionary<string, string> labels, string env)
    {
        var created = await daemon.Client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = name,
            Image = image,
            Env = [env],
            Labels = labels,
            HostConfig = new HostConfig
            {
                NetworkMode = networkMode,
                ReadonlyRootfs = true,
                Tmpfs = new Dictionary<string, string> { ["/tmp"] = "rw,size=64m" },
            },
        });
        await daemon.Client.Containers.StartContainerAsync(created.Id);
        return created.Id;
    }

    private async Task<string> AddressAsync(string id)
    {
        var inspect = await daemon.Client.Containers.InspectContainerAsync(id);
        var address = inspect.NetworkSettings?.Networks?.Values.Select(n => n.IPAddress).FirstOrDefault(a => !string.IsNullOrEmpty(a));
        return address ?? throw new Xunit.Sdk.XunitException($"{inspect.Name} has no IP address");
    }

    /// <summary>Polls until 200 (the container needs a moment to start); fails with the container's log.</summary>
    private async Task<string> WaitForOkAsync(HttpClient http, string url, string container)
    {
        var clock = Stopwatch.StartNew();
        string last = "";
        while (clock.Elapsed < ReadyTimeout)
        {
            try
            {
                using var response = await http.GetAsync(url);
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return body;
                }

                last = $"{(int)response.StatusCode} {body}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }

            await Task.Delay(250);
        }

        throw new Xunit.Sdk.XunitException($"{url} did not answer 200 within {ReadyTimeout.TotalSeconds}s (last: {last}):\n{await LogsAsync(container)}");
    }

    private async Task<string> LogsAsync(string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var lines = new List<string>();
        try
        {
            await foreach (var line in daemon.Client.Containers.GetContainerLogsAsync(id, new ContainerLogsParameters { Tail = 40 }, timeout.Token))
            {
                lines.Add(line.Text);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or DockerException)
        {
            lines.Add($"(logs: {e.Message})");
        }

        return string.Join('\n', lines.TakeLast(40));
    }

    private static async Task RunScriptAsync(params (string Key, string Value)[] environment)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(ChartRenderer.Repository, "scripts", "build-platform-images.sh"));
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        Assert.True(process.ExitCode == 0, $"build-platform-images.sh exited {process.ExitCode}:\n{await stdout}\n{await stderr}");
    }
}

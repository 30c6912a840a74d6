using System.Net;
using System.Text;
using System.Text.Json;
using Faas.Contracts.Json;
using Faas.EndToEnd.Tests.Infrastructure;

namespace Faas.EndToEnd.Tests.DockerBackend;

/// <summary>
/// The user journey on the Docker backend with the real faas-cli, gateway and controller processes
/// and a real dockerd: new -> build (engine docker) -> deploy -> invoke -> scale 3 -> 3 containers
/// answer -> one is killed from outside and replaced -> the controller is killed and restarted ->
/// still listed and served by the same containers -> a secret readable inside the containers and
/// updated live -> logs -> remove -> no container, no network, secret removed.
/// The gateway runs on the host and calls the replicas on their bridge IPs.
/// </summary>
[Collection(DockerEngineCollection.Name)]
public sealed class ContainerLifecycleTests(DockerEngineFixture engine) : DockerPlatformTest(engine, "docker-lifecycle")
{
    // /whoami answers the container's hostname (its short id), so the test sees which replica served.
    private const string HandlerSource = """
        using Faas.Function;

        namespace Function;

        public sealed class Handler : IHttpFunction
        {
            public async Task<FunctionResponse> HandleAsync(FunctionRequest request, FunctionContext context, CancellationToken cancellationToken)
            {
                if (request.Path == "/whoami")
                {
                    return FunctionResponse.Text(Environment.MachineName);
                }

                if (request.Path == "/secret")
                {
                    // Read from the read-only mount /var/openfaas/secrets on every call.
                    return FunctionResponse.Text(context.Secrets.Get("api-key") ?? "<missing>");
                }

                var body = await request.ReadBodyAsStringAsync(cancellationToken);
                Console.WriteLine($"greeting {body}");
                return FunctionResponse.Text($"Hello, {body}");
            }
        }
        """;

    private readonly string _name = $"greet-{Guid.NewGuid().ToString("N")[..6]}";
    [Fact]
    public async Task NewBuildDeployScaleKillRestartLogsRemove()
    {
        var p = Platform;
        var network = p.Docker!.Network;

        // new
        var created = await p.RunCliAsync(["new", _name, "--lang", "csharp"]);
        Assert.True(created.ExitCode == 0, created.ToString());
        await File.WriteAllTextAsync(Path.Combine(p.ProjectDir, _name, "Handler.cs"), HandlerSource);

        // build: the handler is published, then the template's Dockerfile builds the image on the daemon
        var built = await p.RunCliAsync(["build", "-f", $"{_name}.yml", "--engine", "docker"], timeout: TimeSpan.FromMinutes(6));
        Assert.True(built.ExitCode == 0, built.ToString());
        Assert.Contains("Docker image:", built.Stdout + built.Stderr);

        // deploy, invoke
        var deployed = await p.RunCliAsync(["deploy", "-f", $"{_name}.yml"]);
        Assert.True(deployed.ExitCode == 0, deployed.ToString());
        await p.WaitUntilAsync(async () => await InvokeAsync("world") == "Hello, world", TimeSpan.FromSeconds(60), "first successful call");
        var invoked = await p.RunCliAsync(["invoke", _name], stdin: "cli");
        Assert.True(invoked.ExitCode == 0, invoked.ToString());
        Assert.Contains("Hello, cli", invoked.Stdout);

        // scale to 3: three distinct containers answer
        var scaled = await p.RunCliAsync(["scale", _name, "--replicas", "3"]);
        Assert.True(scaled.ExitCode == 0, scaled.ToString());
        await p.WaitUntilAsync(async () => await AvailableReplicasAsync() == 3, TimeSpan.FromSeconds(60), "3 available replicas");
        var hosts = await ServingHostsAsync(30);
        Assert.True(hosts.Count == 3, $"expected 3 replicas to serve 30 calls, saw {string.Join(',', hosts)}");

        // kill one container from outside (docker kill): it is replaced
        var victim = hosts.First();
        var victimContainer = (await Engine.ContainersOfAsync(network, _name)).Single(c => c.Id.StartsWith(victim, StringComparison.Ordinal));
        await Engine.Client.Containers.KillContainerAsync(victimContainer.Id);
        await p.WaitUntilAsync(
            async () =>
            {
                var now = await ServingHostsAsync(30);
                return now.Count == 3 && !now.Contains(victim);
            },
            TimeSpan.FromSeconds(60),
            "the killed container to be replaced");

        // the controller is killed (-9) and started again: still listed and served, by the same containers
        var before = await ReplicaIdsAsync(network);
        await p.StopControllerAsync(crash: true);
        Assert.Equal("Hello, during-outage", await InvokeAsync("during-outage"));
        await p.StartControllerAsync();
        await p.WaitUntilAsync(async () => await AvailableReplicasAsync() == 3, TimeSpan.FromSeconds(60), "3 replicas after the controller restart");
        var listed = await p.RunCliAsync(["list"]);
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Contains(_name, listed.Stdout);
        Assert.Equal("Hello, again", await InvokeAsync("again"));
        Assert.Equal(before, await ReplicaIdsAsync(network));

        // secrets: created, the function redeployed with it (rolling update), readable inside the
        // containers; an update reaches the running containers without a redeploy
        var secretCreated = await p.RunCliAsync(["secret", "create", "api-key", "--from-literal", "first-value"]);
        Assert.True(secretCreated.ExitCode == 0, secretCreated.ToString());
        var redeployed = await p.RunCliAsync(["deploy", "-f", $"{_name}.yml", "--secret", "api-key"]);
        Assert.True(redeployed.ExitCode == 0, redeployed.ToString());
        await p.WaitUntilAsync(async () => await GetAsync("/secret") == "first-value", TimeSpan.FromSeconds(60), "the secret read inside the container");
        var secretUpdated = await p.RunCliAsync(["secret", "update", "api-key", "--from-literal", "second-value"]);
        Assert.True(secretUpdated.ExitCode == 0, secretUpdated.ToString());
        await p.WaitUntilAsync(async () => await GetAsync("/secret") == "second-value", TimeSpan.FromSeconds(30), "the updated secret inside the container");
        await p.WaitUntilAsync(async () => await AvailableReplicasAsync() == 3, TimeSpan.FromSeconds(60), "3 replicas after the rolling update");

        // logs come from the live containers through the Engine API (the rolling update replaced the
        // containers that served the earlier calls, and their logs went with them; a call during the
        // hand-over may still reach a retiring one, so each attempt makes a fresh call)
        await p.WaitUntilAsync(
            async () =>
            {
                Assert.Equal("Hello, after-secret", await InvokeAsync("after-secret"));
                var logs = await p.RunCliAsync(["logs", _name, "--tail=false"]);
                return logs.ExitCode == 0 && logs.Stdout.Contains("greeting after-secret");
            },
            TimeSpan.FromSeconds(30),
            "the handler's output in faas-cli logs");

        // remove: 404, then no container of the function and (the last function on it) no network
        var removed = await p.RunCliAsync(["remove", _name]);
        Assert.True(removed.ExitCode == 0, removed.ToString());
        await p.WaitUntilAsync(
            async () =>
            {
                using var response = await p.Http.PostAsync($"/function/{_name}", new StringContent("x"));
                return response.StatusCode == HttpStatusCode.NotFound;
            },
            TimeSpan.FromSeconds(30),
            "404 after remove");
        await p.WaitUntilAsync(async () => (await Engine.ContainersOfAsync(network)).Count == 0, TimeSpan.FromSeconds(30), "no container left");
        var secretRemoved = await p.RunCliAsync(["secret", "remove", "api-key"]);
        Assert.True(secretRemoved.ExitCode == 0, secretRemoved.ToString());
        var secrets = await p.RunCliAsync(["secret", "list", "--format", "json"]);
        Assert.True(secrets.ExitCode == 0, secrets.ToString());
        Assert.DoesNotContain("api-key", secrets.Stdout);
        Assert.False(await Engine.NetworkExistsAsync(network), $"network {network} should be removed with its last function");
    }

    // Running replicas only: the standby (a created, never started replica container) may be made by
    // either controller run, whenever the function has settled.
    private async Task<List<string>> ReplicaIdsAsync(string network) =>
        (await Engine.ContainersOfAsync(network, _name))
            .Where(c => c.Labels?.GetValueOrDefault("com.faas.role") == "replica" && c.State == "running")
            .Select(c => c.Id).Order(StringComparer.Ordinal).ToList();

    private async Task<string?> InvokeAsync(string body)
    {
        using var response = await Platform.Http.PostAsync($"/function/{_name}", new StringContent(body, Encoding.UTF8, "text/plain"));
        return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : null;
    }

    private async Task<string?> GetAsync(string path)
    {
        using var response = await Platform.Http.GetAsync($"/function/{_name}{path}");
        return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : null;
    }

    private async Task<HashSet<string>> ServingHostsAsync(int calls)
    {
        var hosts = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < calls; i++)
        {
            using var response = await Platform.Http.GetAsync($"/function/{_name}/whoami");
            if (response.IsSuccessStatusCode)
            {
                hosts.Add(await response.Content.ReadAsStringAsync());
            }
        }

        return hosts;
    }

    private async Task<ulong> AvailableReplicasAsync()
    {
        using var response = await Platform.Admin.GetAsync($"/system/function/{_name}");
        if (!response.IsSuccessStatusCode)
        {
            return 0;
        }

        var status = JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), FaasJsonContext.Default.FunctionStatus);
        return status?.AvailableReplicas ?? 0;
    }
}

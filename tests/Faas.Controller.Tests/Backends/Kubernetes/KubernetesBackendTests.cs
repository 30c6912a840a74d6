using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Faas.Contracts.Functions;
using Faas.Controller.Backends;
using Faas.Controller.Backends.Kubernetes;
using Faas.Controller.Configuration;
using Faas.Kubernetes;
using Faas.Testing.Kubernetes;
using Faas.Testing.Net;
using Microsoft.Extensions.Logging.Abstractions;

namespace Faas.Controller.Tests.Backends.Kubernetes;

[CollectionDefinition(Name)]
public sealed class KubernetesBackendCollection : ICollectionFixture<KubernetesControlPlaneFixture>
{
    public const string Name = "kubernetes backend control plane";
}

/// <summary>The Kubernetes backend against a real kube-apiserver + controller-manager (no kubelet: pods stay Pending).</summary>
[Collection(KubernetesBackendCollection.Name)]
public sealed class KubernetesBackendTests(KubernetesControlPlaneFixture fixture)
{
    private static FunctionDeployment Echo(string ns) => new()
    {
        Service = "echo",
        Image = "example.invalid/echo:1",
        Namespace = ns,
        EnvProcess = "cat",
        EnvVars = new() { ["mode"] = "loud" },
        Labels = new() { ["team"] = "a" },
        Annotations = new() { ["topic"] = "orders" },
        Secrets = ["api-key"],
        Limits = new FunctionResources { Memory = "128Mi", Cpu = "500m" },
        Requests = new FunctionResources { Memory = "64Mi" },
        ReadOnlyRootFilesystem = true,
    };

    private async Task<string> NewNamespaceAsync(string prefix, CancellationToken cancellationToken)
    {
        var name = KubernetesControlPlaneFixture.NewNamespaceName(prefix);
        await fixture.Client.Namespaces.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = name } }, cancellationToken);
        return name;
    }

    private static (KubernetesBackend Backend, KubernetesEndpointWatcher Watcher) NewBackend(KubernetesClient client, string ns, int watchdogPort = 8080)
    {
        var controller = new ControllerOptions { Backend = ControllerOptions.KubernetesBackend, FunctionNamespace = ns };
        var options = new KubernetesBackendOptions { Client = client.Configuration, WatchdogPort = watchdogPort };
        var watcher = new KubernetesEndpointWatcher(controller, options, client, NullLogger<KubernetesEndpointWatcher>.Instance) { RestartDelay = TimeSpan.FromMilliseconds(200) };
        return (new KubernetesBackend(controller, options, client, watcher, NullLogger<KubernetesBackend>.Instance), watcher);
    }

    [Fact]
    public async Task Deploy_CreatesDeploymentAndServiceWithLabelsEnvSecretsAndProbe()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var ns = await NewNamespaceAsync("kb-deploy", deadline.Token);
        var (backend, _) = NewBackend(fixture.Client, ns);

        var result = await backend.DeployAsync(Echo(ns), deadline.Token);

        Assert.Equal(BackendStatus.Accepted, result.Status);
        var deployment = await fixture.Client.Deployments.GetAsync(ns, "echo", deadline.Token);
        Assert.Equal(1, deployment.Spec!.Replicas);
        Assert.Equal("a", deployment.Metadata.Labels!["team"]);
        Assert.Equal("orders", deployment.Metadata.Annotations!["topic"]);
        var template = deployment.Spec.Template;
        Assert.Equal("echo", template.Metadata!.Labels!["faas_function"]);
        Assert.Equal("a", template.Metadata.Labels["team"]);
        var container = Assert.Single(template.Spec!.Containers);
        Assert.Equal("example.invalid/echo:1", container.Image);
        Assert.Contains(container.Env!, e => e.Name == "fprocess" && e.Value == "cat");
        Assert.Contains(container.Env!, e => e.Name == "mode" && e.Value == "loud");
        Assert.Equal("/_/ready", container.ReadinessProbe!.HttpGet!.Path);
        Assert.Equal(8080, container.ReadinessProbe.HttpGet.Port.IntValue);
        Assert.True(container.SecurityContext!.ReadOnlyRootFilesystem);
        Assert.True(container.SecurityContext.RunAsNonRoot);
        Assert.Equal("128Mi", container.Resources!.Limits!["memory"]);
        Assert.Equal("500m", container.Resources.Limits["cpu"]);
        Assert.Equal("64Mi", container.Resources.Requests!["memory"]);
        Assert.Contains(container.VolumeMounts!, m => m.MountPath == "/var/openfaas/secrets" && m.ReadOnly == true);
        var secrets = Assert.Single(template.Spec.Volumes!, v => v.Name == "secrets");
        Assert.Contains("\"api-key\"", secrets.ExtensionData!["projected"].GetRawText());
        var service = await fixture.Client.Services.GetAsync(ns, "echo", deadline.Token);
        Assert.Equal("echo", service.Spec!.Selector!["faas_function"]);
        Assert.Equal(8080, Assert.Single(service.Spec.Ports!).Port);

        var again = await backend.DeployAsync(Echo(ns), deadline.Token);
        Assert.Equal(BackendStatus.Conflict, again.Status);
    }

    [Fact]
    public async Task ScaleUpdateRemove_AndARestartedBackendListsWhatExists()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        var ns = await NewNamespaceAsync("kb-life", deadline.Token);
        var (backend, _) = NewBackend(fixture.Client, ns);
        Assert.Equal(BackendStatus.Accepted, (await backend.DeployAsync(Echo(ns), deadline.Token)).Status);

        Assert.Equal(BackendStatus.Accepted, (await backend.ScaleAsync("echo", ns, 3, deadline.Token)).Status);
        Assert.Equal(3, (await fixture.Client.Deployments.GetScaleAsync(ns, "echo", deadline.Token)).Spec!.Replicas);
        Assert.Equal(BackendStatus.NotFound, (await backend.ScaleAsync("nope", ns, 1, deadline.Token)).Status);

        var updated = Echo(ns) with { Image = "example.invalid/echo:2", EnvVars = new() { ["mode"] = "quiet" } };
        Assert.Equal(BackendStatus.Accepted, (await backend.UpdateAsync(updated, deadline.Token)).Status);
        var deployment = await fixture.Client.Deployments.GetAsync(ns, "echo", deadline.Token);
        Assert.Equal("example.invalid/echo:2", deployment.Spec!.Template.Spec!.Containers[0].Image);
        Assert.Contains(deployment.Spec.Template.Spec.Containers[0].Env!, e => e.Name == "mode" && e.Value == "quiet");
        Assert.Equal(3, deployment.Spec.Replicas); // an update keeps the scaler's count

        // A new backend instance (a restarted controller) reads everything back from the API server.
        var (restarted, _) = NewBackend(fixture.CreateClient(), ns);
        var status = Assert.Single(await restarted.ListAsync(ns, deadline.Token));
        Assert.Equal("echo", status.Name);
        Assert.Equal("example.invalid/echo:2", status.Image);
        Assert.Equal(3ul, status.Replicas);
        Assert.Equal("cat", status.EnvProcess);
        Assert.Equal("orders", status.Annotations!["topic"]);
        Assert.Equal(["api-key"], status.Secrets!);
        Assert.NotNull(await restarted.GetAsync("echo", ns, deadline.Token));

        Assert.Equal(BackendStatus.Accepted, (await restarted.DeleteAsync("echo", ns, deadline.Token)).Status);
        Assert.Empty(await restarted.ListAsync(ns, deadline.Token));
        await Assert.ThrowsAsync<KubernetesNotFoundException>(() => fixture.Client.Deployments.GetAsync(ns, "echo", deadline.Token));
        await Assert.ThrowsAsync<KubernetesNotFoundException>(() => fixture.Client.Services.GetAsync(ns, "echo", deadline.Token));
        Assert.Equal(BackendStatus.NotFound, (await restarted.DeleteAsync("echo", ns, deadline.Token)).Status);
    }

    [Fact]
    public async Task TheSameFunctionInTwoNamespaces_ScalesUpdatesAndGoesIndependently_AndSecretsStayApart()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        var first = await NewNamespaceAsync("kb-ns-a", deadline.Token);
        var second = await NewNamespaceAsync("kb-ns-b", deadline.Token);
        var (backend, _) = NewBackend(fixture.Client, first);
        var secrets = new KubernetesSecretStore(fixture.Client);

        Assert.True(await secrets.CreateAsync(first, "api-key", "alpha"u8.ToArray(), deadline.Token));
        Assert.True(await secrets.CreateAsync(second, "api-key", "beta"u8.ToArray(), deadline.Token));
        Assert.Equal(BackendStatus.Accepted, (await backend.DeployAsync(Echo(first), deadline.Token)).Status);
        Assert.Equal(BackendStatus.Accepted, (await backend.DeployAsync(Echo(second) with { EnvVars = new() { ["mode"] = "second" } }, deadline.Token)).Status);

        // Scaling and updating one copy leaves the other as it was.
        Assert.Equal(BackendStatus.Accepted, (await backend.ScaleAsync("echo", second, 2, deadline.Token)).Status);
        Assert.Equal(BackendStatus.Accepted, (await backend.UpdateAsync(Echo(second) with { Image = "example.invalid/echo:2" }, deadline.Token)).Status);
        var inFirst = Assert.Single(await backend.ListAsync(first, deadline.Token));
        var inSecond = Assert.Single(await backend.ListAsync(second, deadline.Token));
        Assert.Equal((1ul, "example.invalid/echo:1", first), (inFirst.Replicas, inFirst.Image, inFirst.Namespace));
        Assert.Equal((2ul, "example.invalid/echo:2", second), (inSecond.Replicas, inSecond.Image, inSecond.Namespace));
        var firstDeployment = await fixture.Client.Deployments.GetAsync(first, "echo", deadline.Token);
        Assert.Contains(firstDeployment.Spec!.Template.Spec!.Containers[0].Env!, e => e.Name == "mode" && e.Value == "loud");

        // Same secret name, own value per namespace; removing one leaves the other.
        Assert.Equal("alpha"u8.ToArray(), await secrets.GetAsync(first, "api-key", deadline.Token));
        Assert.Equal("beta"u8.ToArray(), await secrets.GetAsync(second, "api-key", deadline.Token));

        Assert.Equal(BackendStatus.Accepted, (await backend.DeleteAsync("echo", first, deadline.Token)).Status);
        Assert.True(await secrets.DeleteAsync(first, "api-key", deadline.Token));
        Assert.Empty(await backend.ListAsync(first, deadline.Token));
        Assert.Equal(2ul, Assert.Single(await backend.ListAsync(second, deadline.Token)).Replicas);
        Assert.Equal(["api-key"], await secrets.ListAsync(second, deadline.Token));
        Assert.Equal("beta"u8.ToArray(), await secrets.GetAsync(second, "api-key", deadline.Token));
        Assert.NotNull(await fixture.Client.Services.GetAsync(second, "echo", deadline.Token));
    }

    [Fact]
    public async Task APodPatchedReady_AppearsInTheEndpointStream_AndLeavesWhenNotReady()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ns = await NewNamespaceAsync("kb-ep", deadline.Token);
        // A local process stands in for the pod's watchdog: the pod's IP is loopback, the port is this listener's.
        using var replica = new TcpListener(IPAddress.Loopback, 0);
        replica.Start();
        var port = ((IPEndPoint)replica.LocalEndpoint).Port;
        var (backend, watcher) = NewBackend(fixture.Client, ns, port);
        await watcher.StartAsync(deadline.Token);
        try
        {
            Assert.Equal(BackendStatus.Accepted, (await backend.DeployAsync(Echo(ns) with { Secrets = null }, deadline.Token)).Status);
            var pod = await WaitForPodAsync(ns, deadline.Token);
            await WaitForTableAsync(backend, t => t.Any(f => f.Name == "echo" && f.Namespace == ns && f.Replicas == 1 && f.Endpoints.Count == 0), deadline.Token);

            await fixture.Client.Pods.PatchStatusAsync(ns, pod, KubernetesPatch.StrategicMerge(System.Text.Json.Nodes.JsonNode.Parse(
                """{"status":{"phase":"Running","podIP":"127.0.0.1","conditions":[{"type":"Ready","status":"True"}]}}""")!), deadline.Token);

            var ready = await WaitForTableAsync(backend, t => t.Any(f => f.Name == "echo" && f.Endpoints.Count == 1), deadline.Token);
            var endpoint = Assert.Single(ready.Single(f => f.Name == "echo").Endpoints);
            Assert.Equal($"http://127.0.0.1:{port}", endpoint.Url);
            Assert.Equal(pod, endpoint.Replica);

            await fixture.Client.Pods.PatchStatusAsync(ns, pod, KubernetesPatch.StrategicMerge(System.Text.Json.Nodes.JsonNode.Parse(
                """{"status":{"conditions":[{"type":"Ready","status":"False"}]}}""")!), deadline.Token);
            await WaitForTableAsync(backend, t => t.Any(f => f.Name == "echo" && f.Endpoints.Count == 0), deadline.Token);

            Assert.Equal(BackendStatus.Accepted, (await backend.DeleteAsync("echo", ns, deadline.Token)).Status);
            await WaitForTableAsync(backend, t => t.All(f => f.Namespace != ns), deadline.Token);
        }
        finally
        {
            await watcher.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task RbacForbids_TheApiServersMessageReachesTheCaller()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var ns = await NewNamespaceAsync("kb-rbac", deadline.Token);
        // The limited user has no rights at all in this namespace.
        using var limited = fixture.CreateClient(KubernetesControlPlaneFixture.LimitedToken);
        var (backend, _) = NewBackend(limited, ns);

        var result = await backend.DeployAsync(Echo(ns), deadline.Token);

        Assert.Equal(BackendStatus.Forbidden, result.Status);
        Assert.Contains($"User \"{KubernetesControlPlaneFixture.LimitedUser}\" cannot", result.Message);
        var list = await Assert.ThrowsAsync<BackendException>(() => backend.ListAsync(ns, deadline.Token));
        Assert.Equal(BackendStatus.Forbidden, list.Result.Status);
    }

    [Fact]
    public async Task ApiServerUnreachable_Is503_AndWorkResumesWhenItReturns()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ns = await NewNamespaceAsync("kb-down", deadline.Token);
        await using var proxy = new TcpProxy(fixture.Server);
        var configuration = fixture.Configuration(server: proxy.Address) with { RequestTimeout = TimeSpan.FromSeconds(5) };
        using var client = new KubernetesClient(configuration);
        var (backend, _) = NewBackend(client, ns);

        proxy.Cut();
        var down = await backend.DeployAsync(Echo(ns), deadline.Token);
        Assert.Equal(BackendStatus.Unavailable, down.Status);
        var list = await Assert.ThrowsAsync<BackendException>(() => backend.ListAsync(ns, deadline.Token));
        Assert.Equal(BackendStatus.Unavailable, list.Result.Status);

        proxy.Restore();
        Assert.Equal(BackendStatus.Accepted, (await backend.DeployAsync(Echo(ns), deadline.Token)).Status);
        Assert.Equal("echo", Assert.Single(await backend.ListAsync(ns, deadline.Token)).Name);
    }

    [Fact]
    public async Task ThroughTheApp_ANamespaceNotOptedInIs400_AndSecretsAreManagedKubernetesSecrets()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ns = await NewNamespaceAsync("kb-app", deadline.Token);
        var extra = KubernetesControlPlaneFixture.NewNamespaceName("kb-extra");
        await fixture.Client.Namespaces.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = extra, Annotations = new() { ["openfaas"] = "1" } } }, deadline.Token);
        using var state = new TempDir();
        var app = Program.Build([
            "--port=0", "--backend=kubernetes", $"--kubeconfig={fixture.KubeconfigPath}", $"--function_namespace={ns}",
            $"--extra_function_namespaces={extra}", $"--state_dir={state.Path}", "--basic_auth=false", "--Logging:LogLevel:Default=Warning",
        ]);
        await app.StartAsync(deadline.Token);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

            using var refused = await http.PostAsJsonAsync("/system/functions", Echo("not-opted-in") with { Secrets = null }, deadline.Token);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("not-opted-in", await refused.Content.ReadAsStringAsync(deadline.Token));

            using var secret = await http.PostAsJsonAsync($"/system/secrets?namespace={extra}", new { name = "api-key", value = "s3cret" }, deadline.Token);
            Assert.True(secret.IsSuccessStatusCode, await secret.Content.ReadAsStringAsync(deadline.Token));
            var stored = await fixture.Client.Secrets.GetAsync(extra, "api-key", deadline.Token);
            Assert.Equal("faas", stored.Metadata.Labels!["app.kubernetes.io/managed-by"]);
            Assert.Equal("s3cret"u8.ToArray(), stored.Data!["api-key"]);

            using var deployed = await http.PostAsJsonAsync("/system/functions", Echo(extra), deadline.Token);
            Assert.Equal(HttpStatusCode.Accepted, deployed.StatusCode);
            var functions = await http.GetFromJsonAsync<List<FunctionStatus>>($"/system/functions?namespace={extra}", deadline.Token);
            Assert.Equal("echo", Assert.Single(functions!).Name);
            var info = await http.GetStringAsync("/system/info", deadline.Token);
            Assert.Contains("kubernetes", info);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }

    private async Task<string> WaitForPodAsync(string ns, CancellationToken cancellationToken)
    {
        while (true)
        {
            var pods = await fixture.Client.Pods.ListAsync(ns, new ListOptions { LabelSelector = "faas_function=echo" }, cancellationToken);
            if (pods.Items.FirstOrDefault()?.Metadata.Name is { } name)
            {
                return name;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static async Task<List<Faas.Contracts.Endpoints.FunctionEndpoints>> WaitForTableAsync(
        KubernetesBackend backend, Func<List<Faas.Contracts.Endpoints.FunctionEndpoints>, bool> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            var current = backend.Endpoints.Current;
            if (condition(current.Functions))
            {
                return current.Functions;
            }

            await backend.Endpoints.WaitForChangeAsync(current.Version, cancellationToken);
        }
    }
}

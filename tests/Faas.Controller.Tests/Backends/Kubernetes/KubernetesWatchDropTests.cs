using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Faas.Contracts.Endpoints;
using Faas.Contracts.Functions;
using Faas.Controller.Backends;
using Faas.Controller.Backends.Kubernetes;
using Faas.Controller.Configuration;
using Faas.Kubernetes;
using Faas.Testing.Kubernetes;
using Faas.Testing.Net;
using Microsoft.Extensions.Logging.Abstractions;

namespace Faas.Controller.Tests.Backends.Kubernetes;

/// <summary>
/// The controller's watches (pods and Deployments for the endpoint table, Namespaces in annotation mode)
/// reach the API server through a relay that drops every connection; what changes while they are dropped
/// is changed directly, and once the relay lets them back the watches converge to the truth.
/// </summary>
[Collection(KubernetesBackendCollection.Name)]
public sealed class KubernetesWatchDropTests(KubernetesControlPlaneFixture fixture)
{
    private static readonly JsonNode Ready = JsonNode.Parse("""{"status":{"phase":"Running","podIP":"127.0.0.1","conditions":[{"type":"Ready","status":"True"}]}}""")!;
    private static readonly JsonNode NotReady = JsonNode.Parse("""{"status":{"conditions":[{"type":"Ready","status":"False"}]}}""")!;

    [Theory]
    [InlineData(KubernetesNamespaceMode.Configured)]
    [InlineData(KubernetesNamespaceMode.Annotation)]
    public async Task EndpointWatch_DroppedWhilePodsChange_ConvergesAfterReconnect(KubernetesNamespaceMode mode)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ns = KubernetesControlPlaneFixture.NewNamespaceName("kw-drop");
        await fixture.Client.Namespaces.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = ns } }, deadline.Token);
        using var replica = new TcpListener(IPAddress.Loopback, 0);
        replica.Start();
        var port = ((IPEndPoint)replica.LocalEndpoint).Port;
        await using var proxy = new TcpProxy(fixture.Server);
        using var watchClient = new KubernetesClient(fixture.Configuration(server: proxy.Address) with { RequestTimeout = TimeSpan.FromSeconds(5) });
        var controller = new ControllerOptions { Backend = ControllerOptions.KubernetesBackend, FunctionNamespace = ns };
        var options = new KubernetesBackendOptions { Client = watchClient.Configuration, WatchdogPort = port, NamespaceMode = mode };
        var watcher = new KubernetesEndpointWatcher(controller, options, watchClient, NullLogger<KubernetesEndpointWatcher>.Instance) { RestartDelay = TimeSpan.FromMilliseconds(200) };
        // Deploys go straight to the API server: only the watches use the relay.
        var backend = new KubernetesBackend(controller, options, fixture.Client, watcher, NullLogger<KubernetesBackend>.Instance);
        await watcher.StartAsync(deadline.Token);
        try
        {
            Assert.Equal(BackendStatus.Accepted, (await backend.DeployAsync(new FunctionDeployment { Service = "echo", Image = "example.invalid/echo:1", Namespace = ns }, deadline.Token)).Status);
            var pod = await WaitForPodAsync(ns, "echo", deadline.Token);
            await WaitForTableAsync(watcher, t => t.Any(f => f.Name == "echo" && f.Namespace == ns && f.Endpoints.Count == 0), deadline.Token);

            // 1. Dropped: the pod becomes Ready, and a second function appears. Nothing reaches the watcher.
            proxy.Cut();
            var acceptedBefore = proxy.Accepted;
            await fixture.Client.Pods.PatchStatusAsync(ns, pod, KubernetesPatch.StrategicMerge(Ready), deadline.Token);
            Assert.Equal(BackendStatus.Accepted, (await backend.DeployAsync(new FunctionDeployment { Service = "second", Image = "example.invalid/echo:1", Namespace = ns }, deadline.Token)).Status);
            Assert.DoesNotContain(watcher.Endpoints.Current.Functions, f => f.Namespace == ns && (f.Name == "second" || f.Endpoints.Count > 0));

            // 2. Back: the watches resume from their last version and deliver what they missed.
            proxy.Restore();
            var ready = await WaitForTableAsync(watcher, t => t.Any(f => f.Name == "echo" && f.Namespace == ns && f.Endpoints.Count == 1) && t.Any(f => f.Name == "second" && f.Namespace == ns), deadline.Token);
            Assert.Equal($"http://127.0.0.1:{port}", Assert.Single(ready.Single(f => f.Name == "echo" && f.Namespace == ns).Endpoints).Url);
            Assert.True(proxy.Accepted > acceptedBefore, "the watches did not reconnect through the relay");

            // 3. Dropped again: the pod stops being Ready and the second function is removed.
            proxy.Cut();
            await fixture.Client.Pods.PatchStatusAsync(ns, pod, KubernetesPatch.StrategicMerge(NotReady), deadline.Token);
            await fixture.Client.Deployments.DeleteAsync(ns, "second", DeleteOptions.Background, deadline.Token);
            proxy.Restore();
            await WaitForTableAsync(watcher, t => t.Any(f => f.Name == "echo" && f.Namespace == ns && f.Endpoints.Count == 0) && !t.Any(f => f.Name == "second" && f.Namespace == ns), deadline.Token);
        }
        finally
        {
            await watcher.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task NamespaceWatch_DroppedWhileAnnotationsChange_ConvergesAfterReconnect()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var leaving = KubernetesControlPlaneFixture.NewNamespaceName("kw-leave");
        var joining = KubernetesControlPlaneFixture.NewNamespaceName("kw-join");
        var created = KubernetesControlPlaneFixture.NewNamespaceName("kw-new");
        await fixture.Client.Namespaces.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = leaving, Annotations = new() { ["openfaas"] = "1" } } }, deadline.Token);
        await fixture.Client.Namespaces.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = joining } }, deadline.Token);
        await using var proxy = new TcpProxy(fixture.Server);
        using var watchClient = new KubernetesClient(fixture.Configuration(server: proxy.Address) with { RequestTimeout = TimeSpan.FromSeconds(5) });
        var store = new AnnotatedNamespaceStore(watchClient, NullLogger<AnnotatedNamespaceStore>.Instance) { RestartDelay = TimeSpan.FromMilliseconds(200) };
        await store.StartAsync(deadline.Token);
        try
        {
            Assert.NotNull(store.Get(leaving));
            Assert.Null(store.Get(joining));

            proxy.Cut();
            var acceptedBefore = proxy.Accepted;
            await fixture.Client.Namespaces.PatchAsync(leaving, KubernetesPatch.Json(new JsonArray(JsonNode.Parse("""{"op":"remove","path":"/metadata/annotations/openfaas"}"""))), deadline.Token);
            await fixture.Client.Namespaces.PatchAsync(joining, KubernetesPatch.Merge(JsonNode.Parse("""{"metadata":{"annotations":{"openfaas":"1"}}}""")!), deadline.Token);
            await fixture.Client.Namespaces.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = created, Annotations = new() { ["openfaas"] = "1" } } }, deadline.Token);
            Assert.NotNull(store.Get(leaving)); // nothing reached the store while dropped

            proxy.Restore();
            while (store.Get(leaving) is not null || store.Get(joining) is null || store.Get(created) is null)
            {
                await Task.Delay(50, deadline.Token);
            }

            Assert.True(proxy.Accepted > acceptedBefore, "the namespace watch did not reconnect through the relay");
            Assert.Contains("not opted in", store.Explain(leaving));
        }
        finally
        {
            await store.StopAsync(CancellationToken.None);
            foreach (var name in new[] { leaving, joining, created })
            {
                await fixture.Client.Namespaces.DeleteAsync(name, cancellationToken: CancellationToken.None);
            }
        }
    }

    [Fact]
    public async Task NamespaceWatch_DroppedWhileANamespaceIsDeleted_AndHistoryCompacted_StillDropsIt()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var doomed = KubernetesControlPlaneFixture.NewNamespaceName("kw-doomed");
        await fixture.Client.Namespaces.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = doomed, Annotations = new() { ["openfaas"] = "1" } } }, deadline.Token);
        await using var proxy = new TcpProxy(fixture.Server);
        using var watchClient = new KubernetesClient(fixture.Configuration(server: proxy.Address) with { RequestTimeout = TimeSpan.FromSeconds(5) });
        var store = new AnnotatedNamespaceStore(watchClient, NullLogger<AnnotatedNamespaceStore>.Instance) { RestartDelay = TimeSpan.FromMilliseconds(200) };
        await store.StartAsync(deadline.Token);
        try
        {
            Assert.NotNull(store.Get(doomed));

            // Dropped: the namespace is deleted and finalized, then etcd forgets the history, so the watch
            // cannot resume (410 Gone) and its re-list cannot report a deletion of a namespace it never saw change.
            proxy.Cut();
            await fixture.Client.Namespaces.DeleteAsync(doomed, cancellationToken: deadline.Token);
            while (true)
            {
                try
                {
                    await fixture.Client.Namespaces.GetAsync(doomed, deadline.Token);
                    await Task.Delay(200, deadline.Token);
                }
                catch (KubernetesNotFoundException)
                {
                    break;
                }
            }

            await fixture.CompactEtcdAsync(deadline.Token);
            Assert.NotNull(store.Get(doomed));

            proxy.Restore();
            while (store.Get(doomed) is not null)
            {
                await Task.Delay(50, deadline.Token);
            }

            Assert.Null(store.Explain(doomed)); // gone, not "not opted in"
        }
        finally
        {
            await store.StopAsync(CancellationToken.None);
        }
    }

    private async Task<string> WaitForPodAsync(string ns, string function, CancellationToken cancellationToken)
    {
        while (true)
        {
            var pods = await fixture.Client.Pods.ListAsync(ns, new ListOptions { LabelSelector = $"faas_function={function}" }, cancellationToken);
            if (pods.Items.FirstOrDefault()?.Metadata.Name is { } name)
            {
                return name;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static async Task<List<FunctionEndpoints>> WaitForTableAsync(
        KubernetesEndpointWatcher watcher, Func<List<FunctionEndpoints>, bool> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            var current = watcher.Endpoints.Current;
            if (condition(current.Functions))
            {
                return current.Functions;
            }

            await watcher.Endpoints.WaitForChangeAsync(current.Version, cancellationToken);
        }
    }
}

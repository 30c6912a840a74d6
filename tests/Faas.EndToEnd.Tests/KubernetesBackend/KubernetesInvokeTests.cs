using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Faas.EndToEnd.Tests.Infrastructure;
using Faas.Kubernetes;
using Faas.Testing.Kubernetes;
using Faas.Testing.Net;

namespace Faas.EndToEnd.Tests.KubernetesBackend;

[CollectionDefinition(Name)]
public sealed class KubernetesControlPlaneCollection : ICollectionFixture<KubernetesControlPlaneFixture>
{
    public const string Name = "kubernetes control plane e2e";
}

/// <summary>
/// Gateway -> controller (backend=kubernetes, real API server and controller-manager) -> a function "pod".
/// No container runs: one real watchdog process on 127.0.0.1 stands in for every pod (the controller's
/// <c>kubernetes_watchdog_port</c> points at it) and the test plays kubelet with <see cref="FakeKubelet"/>:
/// it binds the pods the controller-manager creates and reports them Running/Ready at 127.0.0.1.
/// </summary>
[Collection(KubernetesControlPlaneCollection.Name)]
public sealed class KubernetesInvokeTests(KubernetesControlPlaneFixture cluster)
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task GatewayRoutesToAReadyPod_StopsWhenItIsNotReady_AndScalesTheDeploymentFromZero()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ns = KubernetesControlPlaneFixture.NewNamespaceName("e2e-k8s");
        await cluster.Client.Namespaces.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = ns } }, deadline.Token);
        var watchdogPort = TestPorts.Next();
        var settings = new KubernetesSettings(cluster.KubeconfigPath, ns, watchdogPort, ReadyWaitTimeout: "15s");
        await using var platform = await Platform.StartAsync("k8s", kubernetes: settings);
        await using var watchdog = await PodWatchdog.StartAsync(platform, watchdogPort, "shout", ns, "tr a-z A-Z");
        await using var kubelet = await FakeKubelet.StartAsync(cluster, deadline.Token);

        // 1. Deploy through the gateway: a Deployment whose pod the test "runs" at 127.0.0.1.
        using (var deployed = await platform.Admin.PostAsJsonAsync("/system/functions",
            new { service = "shout", image = "example.invalid/shout:1", envProcess = "tr a-z A-Z" }, deadline.Token))
        {
            Assert.True(deployed.StatusCode == HttpStatusCode.Accepted, $"{deployed.StatusCode}: {await deployed.Content.ReadAsStringAsync(deadline.Token)}");
        }

        var pod = await WaitForPodAsync(ns, except: null, deadline.Token);
        await kubelet.RunPodAsync(ns, pod, cancellationToken: deadline.Token);
        var answer = await InvokeAsync(platform, "hello", deadline.Token);
        Assert.True(answer.Status == HttpStatusCode.OK, $"{answer}\n{platform.Diagnostics()}");
        Assert.Equal("HELLO", answer.Body.Trim());

        // 2. The pod turns NotReady: the gateway stops sending calls there; it holds them and answers 504.
        await kubelet.ReportRunningAsync(ns, pod, ready: false, cancellationToken: deadline.Token);
        await platform.WaitUntilAsync(async () => (await InvokeAsync(platform, "held", deadline.Token)).Status == HttpStatusCode.GatewayTimeout,
            Step, "a call to the NotReady pod's function answered 504");
        await kubelet.ReportRunningAsync(ns, pod, ready: true, cancellationToken: deadline.Token);
        Assert.Equal("BACK", (await InvokeAsync(platform, "back", deadline.Token)).Body.Trim());

        // 3. Scale to zero; the kubelet finishes the pod's graceful deletion (nothing runs it).
        using (var scaled = await platform.Admin.PostAsJsonAsync("/system/scale-function/shout", new { serviceName = "shout", replicas = 0 }, deadline.Token))
        {
            Assert.True(scaled.IsSuccessStatusCode, await scaled.Content.ReadAsStringAsync(deadline.Token));
        }

        await platform.WaitUntilAsync(async () =>
        {
            var pods = await cluster.Client.Pods.ListAsync(ns, new ListOptions { LabelSelector = "faas_function=shout" }, deadline.Token);
            foreach (var terminating in pods.Items.Where(p => p.Metadata.DeletionTimestamp is not null))
            {
                await kubelet.FinishDeletionAsync(ns, terminating.Metadata.Name!, deadline.Token);
            }

            return pods.Items.Count == 0;
        }, Step, "the pod is gone after scaling to zero");
        Assert.Equal(0, (await cluster.Client.Deployments.GetScaleAsync(ns, "shout", deadline.Token)).Spec!.Replicas);

        // 4. A call at zero is held; the controller scales the Deployment to 1; the new pod runs; the call is answered.
        var held = InvokeAsync(platform, "from zero", deadline.Token);
        var clock = Stopwatch.StartNew();
        var newPod = await WaitForPodAsync(ns, except: pod, deadline.Token);
        Assert.Equal(1, (await cluster.Client.Deployments.GetScaleAsync(ns, "shout", deadline.Token)).Spec!.Replicas);
        if (held.IsCompleted)
        {
            Assert.Fail($"the call was answered before any pod was ready: {await held}");
        }

        await kubelet.RunPodAsync(ns, newPod, cancellationToken: deadline.Token);
        var fromZero = await held;
        Assert.True(fromZero.Status == HttpStatusCode.OK, $"{fromZero} after {clock.Elapsed}\n{platform.Diagnostics()}");
        Assert.Equal("FROM ZERO", fromZero.Body.Trim());
    }

    private async Task<string> WaitForPodAsync(string ns, string? except, CancellationToken cancellationToken)
    {
        while (true)
        {
            var pods = await cluster.Client.Pods.ListAsync(ns, new ListOptions { LabelSelector = "faas_function=shout" }, cancellationToken);
            if (pods.Items.FirstOrDefault(p => p.Metadata.Name != except && p.Metadata.DeletionTimestamp is null)?.Metadata.Name is { } name)
            {
                return name;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static async Task<Answer> InvokeAsync(Platform platform, string body, CancellationToken cancellationToken)
    {
        using var response = await platform.Http.PostAsync("/function/shout", new StringContent(body), cancellationToken);
        return new Answer(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    private sealed record Answer(HttpStatusCode Status, string Body);
}

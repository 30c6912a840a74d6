using System.Net;
using System.Net.Http.Json;
using System.Text;
using Faas.EndToEnd.Tests.Infrastructure;
using Faas.Kubernetes;
using Faas.Testing.Kubernetes;
using Faas.Testing.Net;

namespace Faas.EndToEnd.Tests.KubernetesBackend;

/// <summary>
/// The secret journey on the Kubernetes backend with the real faas-cli, gateway and controller against the
/// real API server: create a secret -> deploy a function that reads it -> the fake kubelet runs the pod,
/// mounting the Secret volume the platform put in the pod spec (read as the node) into a local folder that
/// stands for the mount path -> invoke returns the value -> update -> the kubelet's re-sync brings the new
/// value -> delete while used is 409 naming the function -> a Secret gone behind the platform's back keeps a
/// new pod from starting until it is back -> remove the function -> remove the secret -> gone from the
/// listing and from Kubernetes. One watchdog process (streaming, fprocess reading its <c>secrets_path</c>)
/// stands in for every pod.
/// </summary>
[Collection(KubernetesControlPlaneCollection.Name)]
public sealed class KubernetesSecretsTests(KubernetesControlPlaneFixture cluster)
{
    // Where OpenFaaS functions find their secrets; the fake kubelet writes volumes mounted there into a local folder.
    private const string SecretsMountPath = "/var/openfaas/secrets";
    private const string Function = "keyreader";

    // Reads the secret from the folder the watchdog is configured with (its environment reaches the fprocess).
    private const string ReadSecret = """cat "$secrets_path/api-key" """;

    private static readonly TimeSpan Step = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SecretReachesThePodThroughItsVolume_UpdatesLive_GuardsItsUse_AndIsGoneAfterRemoval()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var ns = KubernetesControlPlaneFixture.NewNamespaceName("e2e-k8s-secrets");
        await cluster.Client.Namespaces.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = ns } }, deadline.Token);
        var watchdogPort = TestPorts.Next();
        await using var platform = await Platform.StartAsync("k8s-secrets", kubernetes: new KubernetesSettings(cluster.KubeconfigPath, ns, watchdogPort, ReadyWaitTimeout: "15s"));
        await platform.LoginAsync();
        await using var kubelet = await FakeKubelet.StartAsync(cluster, deadline.Token);
        var podSecrets = Path.Combine(platform.WorkDir, "pod-secrets");
        kubelet.MapMount(SecretsMountPath, podSecrets);
        await using var watchdog = await PodWatchdog.StartAsync(platform, watchdogPort, Function, ns, ReadSecret, podSecrets);

        // 1. create -> deploy (the fprocess only matters for the pod spec; the stand-in runs the same one)
        await RunOkAsync(platform, ["secret", "create", "api-key", "--from-literal", "first-value"]);
        await RunOkAsync(platform, ["deploy", "--image", "example.invalid/keyreader:1", "--name", Function, "--fprocess", ReadSecret, "--secret", "api-key"]);

        // 2. the kubelet runs the pod: the Secret is read and written where the watchdog reads it
        var pod = await WaitForPodAsync(ns, except: [], deadline.Token);
        Assert.True(await kubelet.RunPodAsync(ns, pod, cancellationToken: deadline.Token), kubelet.MountError(ns, pod));
        Assert.Equal("first-value", await File.ReadAllTextAsync(Path.Combine(podSecrets, "api-key"), deadline.Token));
        Assert.Equal("first-value", await InvokeAsync(platform, deadline.Token));

        // 3. update: the kubelet's periodic re-sync brings the new value to the running pod
        await RunOkAsync(platform, ["secret", "update", "api-key", "--from-literal", "second-value"]);
        await platform.WaitUntilAsync(async () => await InvokeAsync(platform, deadline.Token) == "second-value", Step, "the updated value through the re-synced volume");

        // 4. delete while the function lists it: 409 naming the function (API and CLI)
        using (var inUse = await platform.Admin.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/system/secrets") { Content = JsonContent.Create(new { name = "api-key" }) }, deadline.Token))
        {
            var body = await inUse.Content.ReadAsStringAsync(deadline.Token);
            Assert.True(inUse.StatusCode == HttpStatusCode.Conflict, $"{(int)inUse.StatusCode} {body}");
            Assert.Contains(Function, body);
        }

        var refused = await platform.RunCliAsync(["secret", "remove", "api-key"]);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains(Function, refused.Stderr);
        await cluster.Client.Secrets.GetAsync(ns, "api-key", deadline.Token);

        // 5. the Secret deleted behind the platform's back: the running pod keeps its files; a new pod does not start
        await cluster.Client.Secrets.DeleteAsync(ns, "api-key", null, deadline.Token);
        await kubelet.SyncVolumesAsync(deadline.Token);
        Assert.Equal("second-value", await InvokeAsync(platform, deadline.Token));
        using (var scaled = await platform.Admin.PostAsJsonAsync($"/system/scale-function/{Function}", new { serviceName = Function, replicas = 2 }, deadline.Token))
        {
            Assert.True(scaled.IsSuccessStatusCode, await scaled.Content.ReadAsStringAsync(deadline.Token));
        }

        var second = await WaitForPodAsync(ns, except: [pod], deadline.Token);
        Assert.False(await kubelet.RunPodAsync(ns, second, cancellationToken: deadline.Token), "a pod whose Secret is missing started");
        Assert.Contains("\"api-key\" not found", kubelet.MountError(ns, second));
        Assert.False(await IsReadyAsync(ns, second, deadline.Token));

        // ... until the secret is back: the kubelet's retry starts it, with the new value
        await RunOkAsync(platform, ["secret", "create", "api-key", "--from-literal", "third-value"]);
        await platform.WaitUntilAsync(() => IsReadyAsync(ns, second, deadline.Token), Step, "the second pod Ready once its Secret exists");
        Assert.Null(kubelet.MountError(ns, second));
        await platform.WaitUntilAsync(async () => await InvokeAsync(platform, deadline.Token) == "third-value", Step, "the recreated value");

        // 6. remove the function: Deployment and pods go (the kubelet finishes the pods' graceful deletion)
        await RunOkAsync(platform, ["remove", Function]);
        await platform.WaitUntilAsync(async () =>
        {
            var pods = await cluster.Client.Pods.ListAsync(ns, new ListOptions { LabelSelector = $"faas_function={Function}" }, deadline.Token);
            foreach (var terminating in pods.Items.Where(p => p.Metadata.DeletionTimestamp is not null))
            {
                await kubelet.FinishDeletionAsync(ns, terminating.Metadata.Name!, deadline.Token);
            }

            return pods.Items.Count == 0;
        }, Step, "the function's pods are gone");

        // 7. remove the secret: the listing and Kubernetes no longer have it
        await RunOkAsync(platform, ["secret", "remove", "api-key"]);
        var listed = await RunOkAsync(platform, ["secret", "list", "--format", "json"]);
        Assert.DoesNotContain("api-key", listed.Stdout);
        await Assert.ThrowsAsync<KubernetesNotFoundException>(() => cluster.Client.Secrets.GetAsync(ns, "api-key", deadline.Token));
    }

    private async Task<string> WaitForPodAsync(string ns, string[] except, CancellationToken cancellationToken)
    {
        while (true)
        {
            var pods = await cluster.Client.Pods.ListAsync(ns, new ListOptions { LabelSelector = $"faas_function={Function}" }, cancellationToken);
            if (pods.Items.FirstOrDefault(p => !except.Contains(p.Metadata.Name) && p.Metadata.DeletionTimestamp is null)?.Metadata.Name is { } name)
            {
                return name;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private async Task<bool> IsReadyAsync(string ns, string pod, CancellationToken cancellationToken)
    {
        var current = await cluster.Client.Pods.GetAsync(ns, pod, cancellationToken);
        return current.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
    }

    private static async Task<CliResult> RunOkAsync(Platform platform, string[] args)
    {
        var result = await platform.RunCliAsync(args);
        Assert.True(result.ExitCode == 0, $"faas-cli {string.Join(' ', args)}: {result}\n{platform.Diagnostics()}");
        return result;
    }

    private static async Task<string?> InvokeAsync(Platform platform, CancellationToken cancellationToken)
    {
        using var response = await platform.Http.PostAsync("/function/" + Function, new StringContent("", Encoding.UTF8, "text/plain"), cancellationToken);
        return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync(cancellationToken) : null;
    }
}

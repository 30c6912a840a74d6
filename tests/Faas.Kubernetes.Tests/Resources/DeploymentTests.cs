using System.Text.Json.Nodes;

namespace Faas.Kubernetes.Tests.Resources;

[Collection(KubernetesCollection.Name)]
public sealed class DeploymentTests(KubernetesControlPlaneFixture fixture)
{
    private readonly KubernetesClient _client = fixture.Client;

    [Fact]
    public async Task CreateGetListReplaceDelete_RoundTrip()
    {
        using var deadline = Deadline.Seconds(60);
        var ns = await Objects.NewNamespaceAsync(_client, "deploy-crud", deadline.Token);

        var created = await _client.Deployments.CreateAsync(ns, Objects.Deployment("echo"), deadline.Token);
        Assert.Equal(ns, created.Metadata.Namespace);
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.Equal("apps/v1", created.ApiVersion);

        var read = await _client.Deployments.GetAsync(ns, "echo", deadline.Token);
        var container = Assert.Single(read.Spec!.Template.Spec!.Containers);
        Assert.Equal("/_/ready", container.ReadinessProbe!.HttpGet!.Path);
        Assert.Equal(8080, container.ReadinessProbe.HttpGet.Port.IntValue);
        Assert.True(container.SecurityContext!.ReadOnlyRootFilesystem);
        Assert.Equal("cat", Assert.Single(container.Env!).Value);
        // Server defaults we do not model (e.g. spec.template.spec.dnsPolicy) are kept for replace.
        Assert.True(read.Spec.Template.Spec.ExtensionData!.ContainsKey("dnsPolicy"));

        // The controller-manager updates the Deployment too (revision annotation, status): retry on a conflict.
        var replaced = await Objects.ReplaceWithRetryAsync(
            () => _client.Deployments.GetAsync(ns, "echo", deadline.Token),
            current =>
            {
                current.Metadata.Labels!["tier"] = "fn";
                current.Spec!.Template.Spec!.Containers[0].Env!.Add(new EnvVar { Name = "MODE", Value = "x" });
            },
            current => _client.Deployments.ReplaceAsync(current, deadline.Token));
        Assert.Equal("fn", replaced.Metadata.Labels!["tier"]);
        Assert.Equal(2, replaced.Spec!.Template.Spec!.Containers[0].Env!.Count);
        Assert.Equal(read.Spec.Template.Spec.ExtensionData["dnsPolicy"].GetString(), replaced.Spec.Template.Spec.ExtensionData!["dnsPolicy"].GetString());

        var listed = await _client.Deployments.ListAsync(ns, cancellationToken: deadline.Token);
        Assert.Equal("echo", Assert.Single(listed.Items).Metadata.Name);
        Assert.False(string.IsNullOrEmpty(listed.Metadata.ResourceVersion));

        await _client.Deployments.DeleteAsync(ns, "echo", DeleteOptions.Background, deadline.Token);
        await Assert.ThrowsAsync<KubernetesNotFoundException>(() => _client.Deployments.GetAsync(ns, "echo", deadline.Token));
    }

    [Fact]
    public async Task ControllerManager_CreatesPodsMatchingTheSelector()
    {
        using var deadline = Deadline.Seconds(90);
        var ns = await Objects.NewNamespaceAsync(_client, "deploy-pods", deadline.Token);
        await _client.Deployments.CreateAsync(ns, Objects.Deployment("fn-a", replicas: 2), deadline.Token);
        await _client.Deployments.CreateAsync(ns, Objects.Deployment("fn-b", replicas: 1), deadline.Token);

        var pods = await Objects.EventuallyAsync(async () =>
        {
            var list = await _client.Pods.ListAsync(ns, new ListOptions { LabelSelector = Labels.Selector("faas_function", "fn-a") }, deadline.Token);
            return list.Items.Count == 2 ? list.Items : null;
        }, deadline.Token);

        Assert.All(pods, pod =>
        {
            Assert.Equal("fn-a", pod.Metadata.Labels!["faas_function"]);
            Assert.Equal("Pending", pod.Status!.Phase);
            Assert.Equal("ReplicaSet", Assert.Single(pod.Metadata.OwnerReferences!).Kind);
        });
        var notA = await _client.Pods.ListAsync(ns, new ListOptions { LabelSelector = "faas_function!=fn-a" }, deadline.Token);
        Assert.All(notA.Items, pod => Assert.Equal("fn-b", pod.Metadata.Labels!["faas_function"]));
    }

    [Fact]
    public async Task Scale_Subresource_ReadsAndSetsReplicas()
    {
        using var deadline = Deadline.Seconds(60);
        var ns = await Objects.NewNamespaceAsync(_client, "deploy-scale", deadline.Token);
        await _client.Deployments.CreateAsync(ns, Objects.Deployment("scaled", replicas: 1), deadline.Token);

        var scale = await _client.Deployments.GetScaleAsync(ns, "scaled", deadline.Token);
        Assert.Equal(1, scale.Spec!.Replicas);

        var after = await _client.Deployments.ScaleAsync(ns, "scaled", 3, deadline.Token);
        Assert.Equal(3, after.Spec!.Replicas);
        Assert.Equal(3, (await _client.Deployments.GetAsync(ns, "scaled", deadline.Token)).Spec!.Replicas);

        scale.Spec.Replicas = 0;
        // scale still carries the old resourceVersion: optimistic concurrency refuses it.
        var stale = await Assert.ThrowsAsync<KubernetesConflictException>(() => _client.Deployments.ReplaceScaleAsync(ns, "scaled", scale, deadline.Token));
        Assert.False(stale.IsAlreadyExists);

        var zero = await Objects.ReplaceWithRetryAsync(
            () => _client.Deployments.GetScaleAsync(ns, "scaled", deadline.Token),
            fresh => fresh.Spec!.Replicas = 0,
            fresh => _client.Deployments.ReplaceScaleAsync(ns, "scaled", fresh, deadline.Token));
        Assert.Equal(0, zero.Spec!.Replicas);
        var pods = await Objects.EventuallyAsync(async () =>
        {
            var list = await _client.Pods.ListAsync(ns, new ListOptions { LabelSelector = "faas_function=scaled" }, deadline.Token);
            return list.Items.Count == 0 ? list : null;
        }, deadline.Token);
        Assert.Empty(pods.Items);
    }

    [Fact]
    public async Task MergePatch_ReplacesLists_StrategicMergePatch_MergesContainersByName()
    {
        using var deadline = Deadline.Seconds(60);
        var ns = await Objects.NewNamespaceAsync(_client, "deploy-patch", deadline.Token);
        var deployment = Objects.Deployment("patched");
        deployment.Spec!.Template.Spec!.Containers.Add(new Container { Name = "sidecar", Image = "example.invalid/side:1" });
        await _client.Deployments.CreateAsync(ns, deployment, deadline.Token);

        // Strategic merge: the containers list merges by name, so only "patched" changes and "sidecar" stays.
        var strategic = await _client.Deployments.PatchAsync(ns, "patched", KubernetesPatch.StrategicMerge(new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["patched-by"] = "strategic" } },
            ["spec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "patched", ["image"] = "example.invalid/fn:2" }),
            } } },
        }), deadline.Token);
        var containers = strategic.Spec!.Template.Spec!.Containers;
        Assert.Equal(["patched", "sidecar"], containers.Select(c => c.Name).ToArray());
        Assert.Equal("example.invalid/fn:2", containers[0].Image);
        Assert.Equal("strategic", strategic.Metadata.Labels!["patched-by"]);
        Assert.Equal("patched", strategic.Metadata.Labels["faas_function"]);

        // JSON merge: a list is replaced whole, and null removes a key.
        var merged = await _client.Deployments.PatchAsync(ns, "patched", KubernetesPatch.Merge(new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["patched-by"] = null } },
            ["spec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "only", ["image"] = "example.invalid/only:1" }),
            } } },
        }), deadline.Token);
        Assert.Equal("only", Assert.Single(merged.Spec!.Template.Spec!.Containers).Name);
        Assert.False(merged.Metadata.Labels!.ContainsKey("patched-by"));
    }
}

using System.Text.Json.Nodes;

namespace Faas.Kubernetes.Tests.Resources;

[Collection(KubernetesCollection.Name)]
public sealed class CoreObjectTests(KubernetesControlPlaneFixture fixture)
{
    private readonly KubernetesClient _client = fixture.Client;

    [Fact]
    public async Task Namespace_CreateGetListBySelectorPatchDelete()
    {
        using var deadline = Deadline.Seconds(60);
        var name = KubernetesControlPlaneFixture.NewNamespaceName("ns-crud");
        var marker = Guid.NewGuid().ToString("N")[..8];
        await _client.Namespaces.CreateAsync(new Namespace
        {
            Metadata = new ObjectMeta { Name = name, Labels = new() { ["faas-test"] = marker }, Annotations = new() { ["openfaas"] = "1" } },
        }, deadline.Token);

        var read = await _client.Namespaces.GetAsync(name, deadline.Token);
        Assert.Equal("Active", read.Status!.Phase);
        Assert.Equal("1", read.Metadata.Annotations!["openfaas"]);

        var listed = await _client.Namespaces.ListAsync(new ListOptions { LabelSelector = $"faas-test={marker}" }, deadline.Token);
        Assert.Equal(name, Assert.Single(listed.Items).Metadata.Name);

        var patched = await _client.Namespaces.PatchAsync(name, KubernetesPatch.Merge(new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["openfaas"] = "0" } },
        }), deadline.Token);
        Assert.Equal("0", patched.Metadata.Annotations!["openfaas"]);

        await _client.Namespaces.DeleteAsync(name, cancellationToken: deadline.Token);
        // The namespace controller finalizes it: Terminating first, then gone.
        try
        {
            var terminating = await _client.Namespaces.GetAsync(name, deadline.Token);
            Assert.NotNull(terminating.Metadata.DeletionTimestamp);
        }
        catch (KubernetesNotFoundException)
        {
            // Already finalized.
        }
    }

    [Fact]
    public async Task Service_CreateGetsAClusterIpAndReplaceKeepsIt()
    {
        using var deadline = Deadline.Seconds(60);
        var ns = await Objects.NewNamespaceAsync(_client, "svc", deadline.Token);
        var created = await _client.Services.CreateAsync(ns, new Service
        {
            Metadata = new ObjectMeta { Name = "echo", Labels = new() { ["faas_function"] = "echo" } },
            Spec = new ServiceSpec
            {
                Selector = new() { ["faas_function"] = "echo" },
                Ports = [new ServicePort { Name = "http", Port = 8080, TargetPort = "http", Protocol = "TCP" }],
            },
        }, deadline.Token);

        Assert.Equal("ClusterIP", created.Spec!.Type);
        Assert.StartsWith("10.96.", created.Spec.ClusterIP);
        Assert.Equal("http", created.Spec.Ports![0].TargetPort!.Value.StringValue);

        created.Spec.Ports[0].TargetPort = 8081;
        var replaced = await _client.Services.ReplaceAsync(created, deadline.Token);
        Assert.Equal(8081, replaced.Spec!.Ports![0].TargetPort!.Value.IntValue);
        Assert.Equal(created.Spec.ClusterIP, replaced.Spec.ClusterIP);

        await _client.Services.DeleteAsync(ns, "echo", cancellationToken: deadline.Token);
        await Assert.ThrowsAsync<KubernetesNotFoundException>(() => _client.Services.GetAsync(ns, "echo", deadline.Token));
    }

    [Fact]
    public async Task Secret_BinaryDataAndStringDataRoundTrip_ListByLabel()
    {
        using var deadline = Deadline.Seconds(60);
        var ns = await Objects.NewNamespaceAsync(_client, "secret", deadline.Token);
        await _client.Secrets.CreateAsync(ns, Objects.Secret("db", new() { ["app.kubernetes.io/managed-by"] = "faas" }), deadline.Token);
        await _client.Secrets.CreateAsync(ns, Objects.Secret("other"), deadline.Token);

        var read = await _client.Secrets.GetAsync(ns, "db", deadline.Token);
        Assert.Equal(new byte[] { 0x00, 0xFF, 0x41, 0x0A }, read.Data!["api-key"]);
        Assert.Equal("alice"u8.ToArray(), read.Data["user"]);
        Assert.Null(read.StringData);

        var managed = await _client.Secrets.ListAsync(ns, new ListOptions { LabelSelector = "app.kubernetes.io/managed-by=faas" }, deadline.Token);
        Assert.Equal("db", Assert.Single(managed.Items).Metadata.Name);

        read.Data["api-key"] = [1, 2, 3];
        var replaced = await _client.Secrets.ReplaceAsync(read, deadline.Token);
        Assert.Equal(new byte[] { 1, 2, 3 }, replaced.Data!["api-key"]);

        await _client.Secrets.DeleteAsync(ns, "db", cancellationToken: deadline.Token);
        await Assert.ThrowsAsync<KubernetesNotFoundException>(() => _client.Secrets.GetAsync(ns, "db", deadline.Token));
    }

    [Fact]
    public async Task Pod_CreateStaysPending_StatusPatchStandsInForAKubelet_Deletes()
    {
        using var deadline = Deadline.Seconds(60);
        var ns = await Objects.NewNamespaceAsync(_client, "pod", deadline.Token);
        // The service-account admission needs the namespace's "default" account and its token, which the
        // controller-manager adds shortly after the namespace: until then it answers 403 or 500 "retry after".
        await Objects.EventuallyAsync(async () =>
        {
            try
            {
                return await _client.Pods.CreateAsync(ns, Objects.Pod("lonely", new() { ["faas_function"] = "lonely" }), deadline.Token);
            }
            catch (KubernetesException ex) when (ex.Message.Contains("service account", StringComparison.OrdinalIgnoreCase)
                || ex.Message.Contains("serviceaccount", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
        }, deadline.Token);

        var pod = await _client.Pods.GetAsync(ns, "lonely", deadline.Token);
        Assert.Equal("Pending", pod.Status!.Phase);
        Assert.Null(pod.Status.PodIP);

        var byField = await _client.Pods.ListAsync(ns, new ListOptions { FieldSelector = "metadata.name=lonely" }, deadline.Token);
        Assert.Single(byField.Items);

        // Standing in for a kubelet: the status subresource takes the pod's address and readiness.
        var running = await _client.Pods.PatchStatusAsync(ns, "lonely", KubernetesPatch.StrategicMerge(new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["phase"] = "Running",
                ["podIP"] = "127.0.0.1",
                ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = "127.0.0.1" }),
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }),
            },
        }), deadline.Token);
        Assert.Equal("Running", running.Status!.Phase);
        Assert.Equal("127.0.0.1", running.Status.PodIP);
        Assert.Contains(running.Status.Conditions!, c => c.Type == "Ready" && c.Status == "True");
        var running2 = await _client.Pods.ListAsync(ns, new ListOptions { FieldSelector = "status.phase=Running" }, deadline.Token);
        Assert.Equal("lonely", Assert.Single(running2.Items).Metadata.Name);

        await _client.Pods.DeleteAsync(ns, "lonely", new DeleteOptions { GracePeriodSeconds = 0 }, deadline.Token);
        await Objects.EventuallyAsync(async () =>
        {
            var list = await _client.Pods.ListAsync(ns, cancellationToken: deadline.Token);
            return list.Items.Count == 0 ? list : null;
        }, deadline.Token);
    }

    [Fact]
    public async Task Endpoints_ForAServiceWithoutSelector_RoundTrip()
    {
        using var deadline = Deadline.Seconds(60);
        var ns = await Objects.NewNamespaceAsync(_client, "endpoints", deadline.Token);
        await _client.Endpoints.CreateAsync(ns, new Endpoints
        {
            Metadata = new ObjectMeta { Name = "external" },
            Subsets =
            [
                new EndpointSubset
                {
                    Addresses = [new EndpointAddress { Ip = "10.1.2.3" }],
                    NotReadyAddresses = [new EndpointAddress { Ip = "10.1.2.4" }],
                    Ports = [new EndpointPort { Name = "http", Port = 8080, Protocol = "TCP" }],
                },
            ],
        }, deadline.Token);

        var read = await _client.Endpoints.GetAsync(ns, "external", deadline.Token);
        var subset = Assert.Single(read.Subsets!);
        Assert.Equal("10.1.2.3", Assert.Single(subset.Addresses!).Ip);
        Assert.Equal("10.1.2.4", Assert.Single(subset.NotReadyAddresses!).Ip);
        Assert.Equal(8080, Assert.Single(subset.Ports!).Port);
    }

    [Fact]
    public async Task Event_CreateAndListByInvolvedObject()
    {
        using var deadline = Deadline.Seconds(60);
        var ns = await Objects.NewNamespaceAsync(_client, "event", deadline.Token);
        var now = DateTimeOffset.UtcNow;
        await _client.Events.CreateAsync(ns, new Event
        {
            Metadata = new ObjectMeta { Name = "echo.1" },
            InvolvedObject = new ObjectReference { Kind = "Deployment", Name = "echo", Namespace = ns, ApiVersion = "apps/v1" },
            Reason = "Deployed",
            Message = "function echo deployed",
            Type = "Normal",
            Count = 1,
            FirstTimestamp = now,
            LastTimestamp = now,
            Source = new EventSource { Component = "faas-controller" },
        }, deadline.Token);

        var events = await _client.Events.ListAsync(ns, new ListOptions { FieldSelector = "involvedObject.name=echo" }, deadline.Token);

        var read = Assert.Single(events.Items);
        Assert.Equal("Deployed", read.Reason);
        Assert.Equal("faas-controller", read.Source!.Component);
        Assert.Equal(now.ToUnixTimeSeconds(), read.LastTimestamp!.Value.ToUnixTimeSeconds());
    }
}

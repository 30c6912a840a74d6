using Faas.Charts.Tests.Rendering;

namespace Faas.Charts.Tests.Chart;

/// <summary>What the chart renders with default values and with overrides.</summary>
public sealed class ChartRenderTests
{
    /// <summary>apiVersion → kinds the chart may use: only APIs that Kubernetes 1.20 and current releases both serve.</summary>
    private static readonly Dictionary<string, string[]> AllowedKinds = new()
    {
        ["v1"] = ["Namespace", "Secret", "ConfigMap", "Service", "ServiceAccount"],
        ["apps/v1"] = ["Deployment", "StatefulSet"],
        ["rbac.authorization.k8s.io/v1"] = ["Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"],
    };

    [Fact]
    public async Task DefaultValues_RenderEveryComponent_WithAllowedKindsOnly()
    {
        var manifests = await ChartRenderer.RenderAsync();

        foreach (var o in manifests.Objects)
        {
            Assert.True(AllowedKinds.TryGetValue(o.ApiVersion, out var kinds) && kinds.Contains(o.Kind), $"{o.ApiVersion} {o.Kind} {o.Name} is not in the allowed set");
            Assert.Matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", o.Name);
            Assert.True(o.Name.Length <= 63, $"{o.Kind}/{o.Name} is longer than 63 characters");
            if (o.Kind != "Namespace")
            {
                Assert.False(string.IsNullOrEmpty(o.Namespace), $"{o.Kind}/{o.Name} has no namespace");
            }
        }

        var expected = new[]
        {
            "Secret/faas-basic-auth", "Namespace/openfaas-fn",
            "Deployment/faas-gateway", "Service/faas-gateway", "Service/faas-gateway-metrics", "Deployment/faas-queue-worker",
            "Deployment/faas-controller", "Service/faas-controller", "ServiceAccount/faas-controller", "Role/faas-controller", "RoleBinding/faas-controller",
            "StatefulSet/faas-nats", "Service/faas-nats", "ConfigMap/faas-nats",
            "Deployment/faas-prometheus", "Service/faas-prometheus", "ConfigMap/faas-prometheus",
        };
        Assert.Equal(expected.Order(), manifests.Objects.Select(o => $"{o.Kind}/{o.Name}").Order());
    }

    [Fact]
    public async Task DefaultValues_EveryServiceSelectsPodsAndNamedPortsExist()
    {
        var manifests = await ChartRenderer.RenderAsync();
        var workloads = manifests.Objects.Where(o => o.Kind is "Deployment" or "StatefulSet").ToList();

        foreach (var service in manifests.OfKind("Service"))
        {
            var selector = Yaml.StringMap(service.Spec, "selector");
            var selected = workloads.Where(w => selector.All(kv => w.PodLabels.TryGetValue(kv.Key, out var v) && (string)v == kv.Value)).ToList();
            Assert.True(selected.Count == 1, $"Service {service.Name} selects {selected.Count} workloads");
            var portNames = selected[0].Containers.SelectMany(c => Yaml.Maps(c, "ports")).Select(p => Yaml.Str(p, "name")).ToHashSet();
            foreach (var port in Yaml.Maps(service.Spec, "ports"))
            {
                Assert.Contains(Yaml.Str(port, "targetPort"), portNames);
            }
        }

        foreach (var workload in workloads)
        {
            // The selector must match the pod template's labels, or the API server refuses the object.
            var matchLabels = Yaml.StringMap(Yaml.Map(workload.Spec, "selector"), "matchLabels");
            Assert.All(matchLabels, kv => Assert.Equal(kv.Value, (string)workload.PodLabels[kv.Key]));
        }
    }

    [Fact]
    public async Task DefaultValues_PlatformPodsRunNonRootWithReadOnlyRootFilesystem()
    {
        var manifests = await ChartRenderer.RenderAsync();

        foreach (var workload in manifests.Objects.Where(o => o.Kind is "Deployment" or "StatefulSet"))
        {
            var pod = Yaml.Map(workload.PodSpec, "securityContext");
            Assert.Equal("true", Yaml.Str(pod, "runAsNonRoot"));
            Assert.Equal("12000", Yaml.Str(pod, "runAsUser"));
            foreach (var container in workload.Containers)
            {
                var security = Yaml.Map(container, "securityContext");
                Assert.Equal("true", Yaml.Str(security, "readOnlyRootFilesystem"));
                Assert.Equal("false", Yaml.Str(security, "allowPrivilegeEscalation"));
            }
        }
    }

    [Fact]
    public async Task DefaultValues_QueueWorkerIsItsOwnDeployment_AndGatewayDoesNotRunOne()
    {
        var manifests = await ChartRenderer.RenderAsync();

        var worker = manifests.Single("Deployment", "faas-queue-worker");
        Assert.Equal("queue-worker", (string)worker.PodLabels["role"]);
        var workerEnv = worker.Env("queue-worker");
        Assert.Equal("queue-worker", workerEnv["role"]);
        Assert.Equal("http://faas-gateway.openfaas.svc.cluster.local:8080", workerEnv["gateway_url"]);
        Assert.Equal("nats://faas-nats.openfaas.svc.cluster.local:4222", workerEnv["nats_url"]);

        var gatewayEnv = manifests.Single("Deployment", "faas-gateway").Env("gateway");
        Assert.Equal("false", gatewayEnv["queue_worker"]);
        Assert.Equal("http://faas-controller.openfaas.svc.cluster.local:8081", gatewayEnv["functions_provider_url"]);
        Assert.Equal("http://faas-prometheus.openfaas.svc.cluster.local:9090", gatewayEnv["prometheus_url"]);
    }

    [Fact]
    public async Task DefaultValues_NatsKeepsJetStreamOnAPersistentVolumeClaim()
    {
        var manifests = await ChartRenderer.RenderAsync();

        var nats = manifests.Single("StatefulSet", "faas-nats");
        var claim = Assert.Single(Yaml.Maps(nats.Spec, "volumeClaimTemplates"));
        Assert.Equal("data", Yaml.Str(Yaml.Map(claim, "metadata"), "name"));
        Assert.Equal("5Gi", Yaml.Str(Yaml.Map(Yaml.Map(Yaml.Map(claim, "spec"), "resources"), "requests"), "storage"));
        var mount = Yaml.Maps(nats.Container("nats"), "volumeMounts").Single(m => Yaml.Str(m, "name") == "data");
        Assert.Equal("/data", Yaml.Str(mount, "mountPath"));
        Assert.Contains("store_dir: /data", Yaml.Str(Yaml.Map(manifests.Single("ConfigMap", "faas-nats").Raw, "data"), "nats.conf"));
    }

    [Fact]
    public async Task Overrides_DisablingOptionalParts_RemovesThemAndTheirKeys()
    {
        var manifests = await ChartRenderer.RenderAsync(
            "--set", "nats.enabled=false,prometheus.enabled=false,basicAuth.enabled=false,functionNamespace.create=false");

        Assert.DoesNotContain(manifests.Objects, o => o.Name.Contains("nats", StringComparison.Ordinal) || o.Name.Contains("prometheus", StringComparison.Ordinal));
        Assert.Null(manifests.Find("Deployment", "faas-queue-worker"));
        Assert.Null(manifests.Find("Secret", "faas-basic-auth"));
        Assert.Empty(manifests.OfKind("Namespace"));

        var gateway = manifests.Single("Deployment", "faas-gateway");
        var env = gateway.Env("gateway");
        Assert.Equal("false", env["basic_auth"]);
        Assert.DoesNotContain("nats_url", env.Keys);
        Assert.DoesNotContain("prometheus_url", env.Keys);
        Assert.DoesNotContain("secret_mount_path", env.Keys);
        Assert.DoesNotContain(Yaml.Maps(gateway.PodSpec, "volumes"), v => Yaml.Str(v, "name") == "basic-auth");
        Assert.DoesNotContain("prometheus_url", manifests.Single("Deployment", "faas-controller").Env("controller").Keys);
    }

    [Fact]
    public async Task Overrides_ValuesFileAndSet_ReachTheObjects()
    {
        var file = Path.Combine(Path.GetTempPath(), $"faas-chart-values-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, """
            fullnameOverride: edge
            gateway:
              replicas: 3
              upstreamTimeout: 2m
              service:
                type: NodePort
                nodePort: 31112
            image:
              registry: registry.example.com/
              pullSecrets: [regcred]
            """);
        try
        {
            var manifests = await ChartRenderer.RenderAsync("-f", file, "--set", "queueWorker.enabled=false", "--set-string", "gateway.image.tag=1.2.3");

            var gateway = manifests.Single("Deployment", "edge-gateway");
            Assert.Equal("3", Yaml.Str(gateway.Spec, "replicas"));
            Assert.Equal("registry.example.com/faas/gateway:1.2.3", Yaml.Str(gateway.Container("gateway"), "image"));
            Assert.Equal("regcred", Yaml.Str(Assert.Single(Yaml.Maps(gateway.PodSpec, "imagePullSecrets")), "name"));
            var env = gateway.Env("gateway");
            Assert.Equal("2m", env["upstream_timeout"]);
            // Without a separate worker the gateway runs the queue worker itself, with the worker's keys.
            Assert.Equal("true", env["queue_worker"]);
            Assert.Equal("16", env["max_inflight"]);
            Assert.Null(manifests.Find("Deployment", "edge-queue-worker"));

            var service = manifests.Single("Service", "edge-gateway");
            Assert.Equal("NodePort", Yaml.Str(service.Spec, "type"));
            Assert.Equal("31112", Yaml.Str(Assert.Single(Yaml.Maps(service.Spec, "ports")), "nodePort"));
            Assert.Equal("registry.example.com/faas/controller:0.1.0", Yaml.Str(manifests.Single("Deployment", "edge-controller").Container("controller"), "image"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Notes_NameTheObjectsToUse_ForEachServiceType()
    {
        var clusterIp = await ChartRenderer.RenderRawAsync("--notes");
        Assert.True(clusterIp.ExitCode == 0, clusterIp.Stderr);
        Assert.Contains("port-forward svc/faas-gateway 8080:8080", clusterIp.Stdout, StringComparison.Ordinal);
        Assert.Contains("get secret faas-basic-auth", clusterIp.Stdout, StringComparison.Ordinal);
        Assert.Contains("faas-cli login --username admin --password-stdin", clusterIp.Stdout, StringComparison.Ordinal);

        var nodePort = await ChartRenderer.RenderRawAsync("--notes", "--set", "gateway.service.type=NodePort,basicAuth.enabled=false,functionNamespace.extra={team-a}");
        Assert.True(nodePort.ExitCode == 0, nodePort.Stderr);
        Assert.Contains("Functions run in: openfaas-fn, team-a", nodePort.Stdout, StringComparison.Ordinal);
        Assert.Contains("jsonpath='{.spec.ports[0].nodePort}'", nodePort.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("faas-cli login", nodePort.Stdout, StringComparison.Ordinal);
    }
}

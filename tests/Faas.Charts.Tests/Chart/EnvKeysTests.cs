using Faas.Charts.Tests.Rendering;
using Faas.Controller.Autoscaling;
using Faas.Controller.Configuration;
using Faas.Gateway.Configuration;

namespace Faas.Charts.Tests.Chart;

/// <summary>
/// Every environment variable the chart gives the gateway, the queue worker and the controller is a key
/// their real options readers read, and the readers accept the values.
/// </summary>
public sealed class EnvKeysTests : IDisposable
{
    private readonly string _secrets = Directory.CreateTempSubdirectory("faas-chart-secrets-").FullName;

    public EnvKeysTests()
    {
        // The readers check the credentials files at secret_mount_path; the pods get them from the Secret.
        File.WriteAllText(Path.Combine(_secrets, "basic-auth-user"), "admin");
        File.WriteAllText(Path.Combine(_secrets, "basic-auth-password"), "secret");
    }

    public void Dispose() => Directory.Delete(_secrets, recursive: true);

    public static TheoryData<string> ValueSets => new()
    {
        "",
        "queueWorker.enabled=false",
        "nats.enabled=false,prometheus.enabled=false,basicAuth.enabled=false",
        "functionNamespace.extra={team-a,team-b}",
        "clusterRole=true",
    };

    [Theory]
    [MemberData(nameof(ValueSets))]
    public async Task GatewayAndQueueWorkerEnv_AreKeysTheGatewayReads(string set)
    {
        var manifests = await RenderAsync(set);

        var containers = new List<(string Name, IReadOnlyDictionary<string, string> Env)> { ("gateway", manifests.Single("Deployment", "faas-gateway").Env("gateway")) };
        if (manifests.Find("Deployment", "faas-queue-worker") is { } worker)
        {
            containers.Add(("queue-worker", worker.Env("queue-worker")));
        }

        foreach (var (name, env) in containers)
        {
            var recording = new RecordingConfiguration(WithLocalSecrets(env));
            var errors = new List<string>();
            GatewayOptionsReader.TryRead(recording.Configuration, errors);
            Faas.Gateway.Async.AsyncOptionsReader.TryRead(recording.Configuration, errors);

            Assert.True(errors.Count == 0, $"{name} ({set}): the gateway rejects the chart's env:\n{string.Join('\n', errors)}");
            var unread = env.Keys.Where(k => !recording.ReadKeys.Contains(k)).ToList();
            Assert.True(unread.Count == 0, $"{name} ({set}): the gateway never reads {string.Join(", ", unread)}");
        }
    }

    [Theory]
    [MemberData(nameof(ValueSets))]
    public async Task ControllerEnv_AreKeysTheControllerReads(string set)
    {
        var manifests = await RenderAsync(set);
        var env = manifests.Single("Deployment", "faas-controller").Env("controller");
        Assert.Equal("kubernetes", env["backend"]);

        var recording = new RecordingConfiguration(WithLocalSecrets(env));
        var errors = new List<string>();
        ControllerOptions? controller = null;
        try
        {
            controller = ControllerOptions.Load(recording.Configuration);
        }
        catch (ControllerOptionsException e)
        {
            errors.AddRange(e.Errors);
        }

        try
        {
            Faas.Controller.Backends.Kubernetes.KubernetesBackendOptions.Load(recording.Configuration, controller ?? new ControllerOptions());
        }
        catch (ControllerOptionsException e)
        {
            // In its pod the controller uses the service account; here there is neither that nor a kubeconfig.
            errors.AddRange(e.Errors.Where(m => !m.StartsWith("backend=kubernetes needs the API server", StringComparison.Ordinal)));
        }

        try
        {
            AutoscalerOptions.Load(recording.Configuration);
        }
        catch (ControllerOptionsException e)
        {
            errors.AddRange(e.Errors);
        }

        Assert.True(errors.Count == 0, $"controller ({set}): rejects the chart's env:\n{string.Join('\n', errors)}");

        var unread = env.Keys.Where(k => !recording.ReadKeys.Contains(k)).ToList();
        Assert.True(unread.Count == 0, $"controller ({set}): never reads {string.Join(", ", unread)}");
    }

    [Fact]
    public async Task ExtraFunctionNamespaces_ReachTheControllerAsOneList()
    {
        var manifests = await RenderAsync("functionNamespace.extra={team-a,team-b}");

        var env = manifests.Single("Deployment", "faas-controller").Env("controller");
        Assert.Equal("openfaas-fn", env["function_namespace"]);
        Assert.Equal("team-a,team-b", env["extra_function_namespaces"]);
        Assert.Equal("configured", env["kubernetes_namespaces"]);
    }

    [Fact]
    public async Task ClusterRole_SwitchesTheControllerToAnnotatedNamespaces()
    {
        var manifests = await RenderAsync("clusterRole=true");

        var env = manifests.Single("Deployment", "faas-controller").Env("controller");
        Assert.Equal("annotation", env["kubernetes_namespaces"]);
        Assert.False(env.ContainsKey("extra_function_namespaces"));
    }

    [Fact]
    public async Task CredentialsMount_IsTheSecretMountPathEveryComponentReads()
    {
        var manifests = await RenderAsync("");

        foreach (var (deployment, container) in new[] { ("faas-gateway", "gateway"), ("faas-queue-worker", "queue-worker"), ("faas-controller", "controller") })
        {
            var workload = manifests.Single("Deployment", deployment);
            var mount = Yaml.Maps(workload.Container(container), "volumeMounts").Single(m => Yaml.Str(m, "name") == "basic-auth");
            Assert.Equal(workload.Env(container)["secret_mount_path"], Yaml.Str(mount, "mountPath"));
            var volume = Yaml.Maps(workload.PodSpec, "volumes").Single(v => Yaml.Str(v, "name") == "basic-auth");
            Assert.Equal("faas-basic-auth", Yaml.Str(Yaml.Map(volume, "secret"), "secretName"));
        }
    }

    private static Task<Manifests> RenderAsync(string set) =>
        set.Length == 0 ? ChartRenderer.RenderAsync() : ChartRenderer.RenderAsync("--set", set);

    private Dictionary<string, string> WithLocalSecrets(IReadOnlyDictionary<string, string> env)
    {
        var values = env.ToDictionary(kv => kv.Key, kv => kv.Value);
        if (values.ContainsKey("secret_mount_path"))
        {
            values["secret_mount_path"] = _secrets;
        }

        return values;
    }
}

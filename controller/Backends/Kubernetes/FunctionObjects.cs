using System.Text.Json;
using Faas.Contracts.Functions;
using Faas.Contracts.Json;
using Faas.Kubernetes;

namespace Faas.Controller.Backends.Kubernetes;

/// <summary>Builds a function's Deployment and Service, and reads a Deployment back as a function.</summary>
internal static class FunctionObjects
{
    /// <summary>On pods, Deployment and Service: the function's name (as OpenFaaS).</summary>
    public const string FunctionLabel = "faas_function";

    /// <summary>Marks what the platform created, so nothing else in the namespace is taken for a function.</summary>
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    public const string ManagedByValue = "faas";

    /// <summary>The request as deployed (JSON), so list/get return exactly what was asked for.</summary>
    public const string DeploymentAnnotation = "faas.dev/deployment";

    public const string SecretsMountPath = "/var/openfaas/secrets";

    public const string ContainerName = "function";

    /// <summary>The non-root user the function runs as (as the Docker backend).</summary>
    public const long RunAsUser = 12000;

    public static string Selector(string name) => $"{FunctionLabel}={name}";

    public static Deployment Deployment(FunctionDeployment request, string ns, int replicas, int watchdogPort)
    {
        var podLabels = new Dictionary<string, string>(request.Labels ?? [], StringComparer.Ordinal) { [FunctionLabel] = request.Service };
        var labels = new Dictionary<string, string>(podLabels, StringComparer.Ordinal) { [ManagedByLabel] = ManagedByValue };
        var annotations = new Dictionary<string, string>(request.Annotations ?? [], StringComparer.Ordinal)
        {
            [DeploymentAnnotation] = JsonSerializer.Serialize(request with { Namespace = ns }, FaasJsonContext.Default.FunctionDeployment),
        };

        var container = new Container
        {
            Name = ContainerName,
            Image = request.Image,
            Env = Environment(request, ns, watchdogPort),
            Ports = [new ContainerPort { Name = "http", Port = watchdogPort, Protocol = "TCP" }],
            Resources = Resources(request),
            ReadinessProbe = new Probe
            {
                HttpGet = new HttpGetAction { Path = "/_/ready", Port = watchdogPort },
                PeriodSeconds = 2,
                TimeoutSeconds = 1,
                FailureThreshold = 3,
            },
            SecurityContext = new SecurityContext
            {
                ReadOnlyRootFilesystem = request.ReadOnlyRootFilesystem,
                RunAsNonRoot = true,
                RunAsUser = RunAsUser,
                AllowPrivilegeEscalation = false,
            },
        };

        var spec = new PodSpec
        {
            Containers = [container],
            // Functions never call the API server.
            AutomountServiceAccountToken = false,
        };
        var volumes = new List<Volume>();
        var mounts = new List<VolumeMount>();
        if (request.Secrets is { Count: > 0 } secrets)
        {
            volumes.Add(SecretsVolume(secrets));
            mounts.Add(new VolumeMount { Name = "secrets", MountPath = SecretsMountPath, ReadOnly = true });
        }

        if (request.ReadOnlyRootFilesystem)
        {
            // A read-only root still needs somewhere to write (as OpenFaaS: /tmp).
            volumes.Add(new Volume { Name = "tmp", EmptyDir = new EmptyDirVolumeSource() });
            mounts.Add(new VolumeMount { Name = "tmp", MountPath = "/tmp" });
        }

        if (volumes.Count > 0)
        {
            spec.Volumes = volumes;
            container.VolumeMounts = mounts;
        }

        return new Deployment
        {
            Metadata = new ObjectMeta { Name = request.Service, Namespace = ns, Labels = labels, Annotations = annotations },
            Spec = new DeploymentSpec
            {
                Replicas = replicas,
                Selector = new LabelSelector { MatchLabels = new Dictionary<string, string> { [FunctionLabel] = request.Service } },
                Template = new PodTemplateSpec
                {
                    Metadata = new ObjectMeta { Labels = podLabels, Annotations = request.Annotations is { Count: > 0 } a ? new Dictionary<string, string>(a) : null },
                    Spec = spec,
                },
            },
        };
    }

    public static Service Service(string name, string ns, int watchdogPort) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = name,
            Namespace = ns,
            Labels = new Dictionary<string, string> { [FunctionLabel] = name, [ManagedByLabel] = ManagedByValue },
        },
        Spec = new ServiceSpec
        {
            Type = "ClusterIP",
            Selector = new Dictionary<string, string> { [FunctionLabel] = name },
            Ports = [new ServicePort { Name = "http", Port = 8080, TargetPort = watchdogPort, Protocol = "TCP" }],
        },
    };

    /// <summary>Null when the Deployment was not made by the platform (no recorded request).</summary>
    public static FunctionStatus? ToStatus(Deployment deployment)
    {
        if (deployment.Metadata.Annotations?.GetValueOrDefault(DeploymentAnnotation) is not { } json)
        {
            return null;
        }

        FunctionDeployment? request;
        try
        {
            request = JsonSerializer.Deserialize(json, FaasJsonContext.Default.FunctionDeployment);
        }
        catch (JsonException)
        {
            return null;
        }

        if (request is null)
        {
            return null;
        }

        var container = deployment.Spec?.Template.Spec?.Containers.FirstOrDefault();
        return new FunctionStatus
        {
            Name = deployment.Metadata.Name ?? request.Service,
            Namespace = deployment.Metadata.Namespace,
            Image = container?.Image ?? request.Image,
            EnvProcess = request.EnvProcess,
            EnvVars = request.EnvVars,
            Constraints = request.Constraints,
            Secrets = request.Secrets,
            Labels = request.Labels,
            Annotations = request.Annotations,
            Limits = request.Limits,
            Requests = request.Requests,
            ReadOnlyRootFilesystem = request.ReadOnlyRootFilesystem,
            Replicas = (ulong)Math.Max(0, deployment.Spec?.Replicas ?? 0),
            AvailableReplicas = (ulong)Math.Max(0, deployment.Status?.AvailableReplicas ?? 0),
            CreatedAt = deployment.Metadata.CreationTimestamp ?? default,
        };
    }

    private static List<EnvVar> Environment(FunctionDeployment request, string ns, int watchdogPort)
    {
        var env = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in request.EnvVars ?? [])
        {
            env[key] = value;
        }

        if (!string.IsNullOrWhiteSpace(request.EnvProcess))
        {
            env["fprocess"] = request.EnvProcess;
        }

        // Platform keys win over envVars, as in the other backends.
        env["port"] = watchdogPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["function_name"] = request.Service;
        env["function_namespace"] = ns;
        return env.Select(kv => new EnvVar { Name = kv.Key, Value = kv.Value }).ToList();
    }

    private static ResourceRequirements? Resources(FunctionDeployment request)
    {
        static Dictionary<string, string>? Map(FunctionResources? r)
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            if (!string.IsNullOrWhiteSpace(r?.Memory))
            {
                map["memory"] = r.Memory.Trim();
            }

            if (!string.IsNullOrWhiteSpace(r?.Cpu))
            {
                map["cpu"] = r.Cpu.Trim();
            }

            return map.Count > 0 ? map : null;
        }

        var requests = Map(request.Requests);
        var limits = Map(request.Limits);
        return requests is null && limits is null ? null : new ResourceRequirements { Requests = requests, Limits = limits };
    }

    /// <summary>One projected volume of all the function's Secrets: each appears as a file named for the secret.</summary>
    private static Volume SecretsVolume(IEnumerable<string> secrets)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("defaultMode", 0x124); // 0444
            writer.WriteStartArray("sources");
            foreach (var name in secrets.Distinct(StringComparer.Ordinal))
            {
                writer.WriteStartObject();
                writer.WriteStartObject("secret");
                writer.WriteString("name", name);
                writer.WriteStartArray("items");
                writer.WriteStartObject();
                writer.WriteString("key", name); // as OpenFaaS: the Secret's one key is its name
                writer.WriteString("path", name);
                writer.WriteEndObject();
                writer.WriteEndArray();
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return new Volume { Name = "secrets", ExtensionData = new Dictionary<string, JsonElement> { ["projected"] = document.RootElement.Clone() } };
    }
}

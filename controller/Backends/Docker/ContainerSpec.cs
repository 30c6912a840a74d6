using System.Globalization;
using System.Text.Json;
using Faas.Contracts.Functions;
using Faas.Contracts.Json;
using Faas.Docker;

namespace Faas.Controller.Backends.Docker;

/// <summary>Labels the backend writes; the engine's labels are the only state of this backend.</summary>
internal static class DockerLabels
{
    public const string Function = "com.faas.function";
    public const string Namespace = "com.faas.namespace";
    public const string Replica = "com.faas.replica";
    public const string Generation = "com.faas.generation";

    /// <summary>The controller's <c>docker_network</c>: controllers on one daemon with different networks never touch each other's containers.</summary>
    public const string Network = "com.faas.network";

    /// <summary><c>spec</c> on the one never-started container per function that records its desired state.</summary>
    public const string Role = "com.faas.role";
    public const string Replicas = "com.faas.replicas";
    public const string CreatedAt = "com.faas.created";

    /// <summary>The whole <see cref="FunctionDeployment"/> as JSON, so a restarted controller needs nothing else.</summary>
    public const string Deployment = "com.faas.deployment";
    public const string LabelPrefix = "com.faas.label.";
    public const string AnnotationPrefix = "com.faas.annotation.";

    /// <summary>
    /// <c>true</c> on a replica created ahead of need and not started: while it is <c>created</c> it
    /// is the function's standby; once started it is an ordinary replica (labels cannot change).
    /// </summary>
    public const string Standby = "com.faas.standby";

    /// <summary>On a replica that joins a sandbox's network namespace: the sandbox container's id.</summary>
    public const string Sandbox = "com.faas.sandbox";

    public const string SpecRole = "spec";
    public const string ReplicaRole = "replica";

    /// <summary>A running container that only holds a network namespace for a standby (<see cref="DockerBackend.SandboxImage"/>).</summary>
    public const string SandboxRole = "sandbox";
}

/// <summary>Builds the Engine API create parameters of a function's containers (faasd-like: §7.5).</summary>
internal static class ContainerSpec
{
    /// <summary>Where OpenFaaS functions read secrets (<c>/var/openfaas/secrets/&lt;name&gt;</c>).</summary>
    public const string SecretsMountPath = "/var/openfaas/secrets";

    /// <param name="secretsFolder">Host folder bind-mounted read-only at <see cref="SecretsMountPath"/>; null when the function lists no secrets.</param>
    /// <param name="standby">Created ahead of need, to be started on a wake (<see cref="DockerLabels.Standby"/>).</param>
    /// <param name="sandboxId">A running sandbox whose network namespace the replica joins instead of getting its own.</param>
    public static CreateContainerParameters Replica(FunctionDeployment deployment, string ns, string containerName, string replicaId, int generation, DockerBackendOptions options, string? secretsFolder = null, bool standby = false, string? sandboxId = null)
    {
        var labels = CommonLabels(deployment, ns, generation);
        labels[DockerLabels.Role] = DockerLabels.ReplicaRole;
        labels[DockerLabels.Replica] = replicaId;
        labels[DockerLabels.Network] = options.Network;
        if (standby)
        {
            labels[DockerLabels.Standby] = "true";
        }

        if (sandboxId is not null)
        {
            labels[DockerLabels.Sandbox] = sandboxId;
        }

        var readOnly = deployment.ReadOnlyRootFilesystem;
        return new CreateContainerParameters
        {
            Name = containerName,
            Image = deployment.Image,
            Env = Environment(deployment, ns, replicaId, options),
            Labels = labels,
            User = "12000:12000",
            HostConfig = new HostConfig
            {
                NetworkMode = sandboxId is null ? options.Network : $"container:{sandboxId}",
                Memory = Quantities.MemoryBytes(deployment.Limits?.Memory),
                NanoCpus = Quantities.NanoCpus(deployment.Limits?.Cpu),
                ReadonlyRootfs = readOnly ? true : null,
                Tmpfs = readOnly ? new Dictionary<string, string> { ["/tmp"] = "rw,size=64m,mode=1777" } : null,

                // The function's folder, not single files: an update renamed into it is seen inside.
                Mounts = secretsFolder is null ? null : [new Mount { Type = "bind", Source = secretsFolder, Target = SecretsMountPath, ReadOnly = true }],
            },
        };
    }

    /// <summary>The never-started container that holds the desired state (deployment, replicas) in its labels.</summary>
    public static CreateContainerParameters Spec(FunctionDeployment deployment, string ns, string containerName, int generation, int replicas, DateTimeOffset createdAt)
    {
        var labels = CommonLabels(deployment, ns, generation);
        labels[DockerLabels.Role] = DockerLabels.SpecRole;
        labels[DockerLabels.Replicas] = replicas.ToString(CultureInfo.InvariantCulture);
        labels[DockerLabels.CreatedAt] = createdAt.ToString("O", CultureInfo.InvariantCulture);
        return new CreateContainerParameters
        {
            Name = containerName,
            Image = deployment.Image,
            Labels = labels,
            HostConfig = new HostConfig { NetworkMode = "none" },
        };
    }

    /// <summary>
    /// The sandbox of a standby: on the platform network, running the image's one process, which
    /// sleeps until killed. Non-root, no capabilities, read-only, 8 MiB of memory at most.
    /// </summary>
    public static CreateContainerParameters Sandbox(string function, string ns, string containerName, string replicaId, DockerBackendOptions options) => new()
    {
        Name = containerName,
        Image = DockerBackend.SandboxImage,
        User = "65534:65534",
        Labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [DockerLabels.Function] = function,
            [DockerLabels.Namespace] = ns,
            [DockerLabels.Role] = DockerLabels.SandboxRole,
            [DockerLabels.Replica] = replicaId,
            [DockerLabels.Network] = options.Network,
        },
        HostConfig = new HostConfig
        {
            NetworkMode = options.Network,
            Memory = 8 * 1024 * 1024,
            ReadonlyRootfs = true,
            CapDrop = ["ALL"],
        },
    };

    private static Dictionary<string, string> CommonLabels(FunctionDeployment deployment, string ns, int generation)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in deployment.Labels ?? new Dictionary<string, string>())
        {
            labels[DockerLabels.LabelPrefix + key] = value;
        }

        foreach (var (key, value) in deployment.Annotations ?? new Dictionary<string, string>())
        {
            labels[DockerLabels.AnnotationPrefix + key] = value;
        }

        labels[DockerLabels.Function] = deployment.Service;
        labels[DockerLabels.Namespace] = ns;
        labels[DockerLabels.Generation] = generation.ToString(CultureInfo.InvariantCulture);
        labels[DockerLabels.Deployment] = JsonSerializer.Serialize(deployment with { Namespace = ns }, FaasJsonContext.Default.FunctionDeployment);
        return labels;
    }

    private static List<string> Environment(FunctionDeployment deployment, string ns, string replicaId, DockerBackendOptions options)
    {
        var env = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in deployment.EnvVars ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        if (!string.IsNullOrWhiteSpace(deployment.EnvProcess))
        {
            env["fprocess"] = deployment.EnvProcess;
        }

        // Platform keys win over envVars, as in the process backend.
        env["port"] = options.WatchdogPort.ToString(CultureInfo.InvariantCulture);
        env["function_name"] = deployment.Service;
        env["function_namespace"] = ns;
        env["FAAS_REPLICA_ID"] = replicaId;
        return env.Select(kv => $"{kv.Key}={kv.Value}").ToList();
    }
}

/// <summary>Kubernetes quantities (<c>128Mi</c>, <c>1G</c>, <c>500m</c>, <c>0.5</c>) as Docker wants them.</summary>
internal static class Quantities
{
    private static readonly (string Suffix, decimal Factor)[] MemorySuffixes =
    [
        ("Ki", 1024m), ("Mi", 1024m * 1024), ("Gi", 1024m * 1024 * 1024), ("Ti", 1024m * 1024 * 1024 * 1024),
        ("k", 1000m), ("K", 1000m), ("M", 1000m * 1000), ("G", 1000m * 1000 * 1000), ("T", 1000m * 1000 * 1000 * 1000),
    ];

    public static long? MemoryBytes(string? quantity)
    {
        if (string.IsNullOrWhiteSpace(quantity))
        {
            return null;
        }

        return TryMemory(quantity, out var bytes) ? bytes : throw new FormatException($"memory '{quantity}' is not a quantity such as 128Mi or 1G");
    }

    public static bool TryMemory(string quantity, out long bytes)
    {
        bytes = 0;
        var text = quantity.Trim();
        var factor = 1m;
        foreach (var (suffix, f) in MemorySuffixes)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal))
            {
                factor = f;
                text = text[..^suffix.Length];
                break;
            }
        }

        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) || number <= 0)
        {
            return false;
        }

        bytes = (long)(number * factor);
        return bytes > 0;
    }

    public static long? NanoCpus(string? quantity)
    {
        if (string.IsNullOrWhiteSpace(quantity))
        {
            return null;
        }

        return TryCpu(quantity, out var nano) ? nano : throw new FormatException($"cpu '{quantity}' is not a quantity such as 500m or 1.5");
    }

    public static bool TryCpu(string quantity, out long nanoCpus)
    {
        nanoCpus = 0;
        var text = quantity.Trim();
        var factor = 1_000_000_000m;
        if (text.EndsWith('m'))
        {
            factor = 1_000_000m;
            text = text[..^1];
        }

        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) || number <= 0)
        {
            return false;
        }

        nanoCpus = (long)(number * factor);
        return nanoCpus > 0;
    }
}

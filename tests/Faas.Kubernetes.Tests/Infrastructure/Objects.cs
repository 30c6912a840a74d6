namespace Faas.Kubernetes.Tests.Infrastructure;

/// <summary>Small valid objects for the tests to create.</summary>
internal static class Objects
{
    public static async Task<string> NewNamespaceAsync(KubernetesClient client, string prefix, CancellationToken cancellationToken)
    {
        var name = KubernetesControlPlaneFixture.NewNamespaceName(prefix);
        await client.Namespaces.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = name } }, cancellationToken);
        return name;
    }

    public static Deployment Deployment(string name, int replicas = 1, Dictionary<string, string>? labels = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Labels = labels ?? new() { ["faas_function"] = name } },
        Spec = new DeploymentSpec
        {
            Replicas = replicas,
            Selector = new LabelSelector { MatchLabels = new() { ["faas_function"] = name } },
            Template = new PodTemplateSpec
            {
                Metadata = new ObjectMeta { Labels = new() { ["faas_function"] = name } },
                Spec = new PodSpec
                {
                    Containers =
                    [
                        new Container
                        {
                            Name = name,
                            Image = "example.invalid/fn:1",
                            Env = [new EnvVar { Name = "fprocess", Value = "cat" }],
                            Ports = [new ContainerPort { Name = "http", Port = 8080, Protocol = "TCP" }],
                            ReadinessProbe = new Probe { HttpGet = new HttpGetAction { Path = "/_/ready", Port = 8080 }, PeriodSeconds = 2 },
                            SecurityContext = new SecurityContext { ReadOnlyRootFilesystem = true, RunAsNonRoot = true, RunAsUser = 10001 },
                        },
                    ],
                },
            },
        },
    };

    public static Pod Pod(string name, Dictionary<string, string>? labels = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Labels = labels },
        Spec = new PodSpec { Containers = [new Container { Name = "main", Image = "example.invalid/fn:1" }] },
    };

    public static Secret Secret(string name, Dictionary<string, string>? labels = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Labels = labels },
        Type = "Opaque",
        Data = new() { ["api-key"] = [0x00, 0xFF, 0x41, 0x0A] },
        StringData = new() { ["user"] = "alice" },
    };

    /// <summary>Read, change, replace; again from a fresh read when someone else changed the object meanwhile (409).</summary>
    public static async Task<T> ReplaceWithRetryAsync<T>(Func<Task<T>> read, Action<T> change, Func<T, Task<T>> replace)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await read();
            change(current);
            try
            {
                return await replace(current);
            }
            catch (KubernetesConflictException) when (attempt < 10)
            {
                // Lost the race; read the newer version.
            }
        }
    }

    /// <summary>Polls <paramref name="check"/> until it returns a value (bounded by the token).</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> check, CancellationToken cancellationToken)
        where T : class
    {
        while (true)
        {
            if (await check() is { } value)
            {
                return value;
            }

            await Task.Delay(200, cancellationToken);
        }
    }
}

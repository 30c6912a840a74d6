using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Faas.Kubernetes;

/// <summary>
/// A thin client for the Kubernetes API (core/v1, apps/v1, autoscaling/v1 scale; served by 1.20 and current
/// releases alike), shaped like KubernetesClient's: one property per kind. Thread-safe; create one per
/// cluster and reuse it.
/// </summary>
public sealed class KubernetesClient : IDisposable
{
    private readonly KubernetesTransport _transport;

    /// <summary>
    /// Creates a client. Throws <see cref="ArgumentException"/> listing every problem with the configuration.
    /// Nothing is sent until the first call.
    /// </summary>
    public KubernetesClient(KubernetesClientConfiguration configuration, ILogger<KubernetesClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var errors = configuration.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid Kubernetes client configuration: " + string.Join(" ", errors), nameof(configuration));
        }

        Configuration = configuration;
        var log = (ILogger?)logger ?? NullLogger.Instance;
        _transport = new KubernetesTransport(configuration, log);
        var json = KubernetesJsonContext.Default;
        Namespaces = new ClusterResourceClient<Namespace>(_transport,
            new("v1", "Namespace", "namespaces", false, json.Namespace, json.KubernetesListNamespace), log);
        Deployments = new DeploymentClient(_transport,
            new("apps/v1", "Deployment", "deployments", true, json.Deployment, json.KubernetesListDeployment), log);
        Services = new NamespacedResourceClient<Service>(_transport,
            new("v1", "Service", "services", true, json.Service, json.KubernetesListService), log);
        Pods = new PodClient(_transport,
            new("v1", "Pod", "pods", true, json.Pod, json.KubernetesListPod), log);
        Secrets = new NamespacedResourceClient<Secret>(_transport,
            new("v1", "Secret", "secrets", true, json.Secret, json.KubernetesListSecret), log);
        Endpoints = new NamespacedResourceClient<Endpoints>(_transport,
            new("v1", "Endpoints", "endpoints", true, json.Endpoints, json.KubernetesListEndpoints), log);
        Events = new NamespacedResourceClient<Event>(_transport,
            new("v1", "Event", "events", true, json.Event, json.KubernetesListEvent), log);
    }

    public KubernetesClientConfiguration Configuration { get; }

    public ClusterResourceClient<Namespace> Namespaces { get; }

    public DeploymentClient Deployments { get; }

    public NamespacedResourceClient<Service> Services { get; }

    public PodClient Pods { get; }

    public NamespacedResourceClient<Secret> Secrets { get; }

    public NamespacedResourceClient<Endpoints> Endpoints { get; }

    public NamespacedResourceClient<Event> Events { get; }

    public void Dispose() => _transport.Dispose();
}

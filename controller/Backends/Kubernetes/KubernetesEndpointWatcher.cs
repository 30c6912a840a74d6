using System.Globalization;
using Faas.Contracts.Endpoints;
using Faas.Controller.Configuration;
using Faas.Controller.Endpoints;
using Faas.Kubernetes;

namespace Faas.Controller.Backends.Kubernetes;

/// <summary>
/// Watches the platform's Deployments (desired replicas) and the functions' pods (address, Ready
/// condition) in every function namespace and publishes ready replicas as the endpoint table the
/// gateway consumes. The client's watch resumes after drops and re-lists after 410 Gone, so nothing
/// is lost; a watch that ends with an error (e.g. 403) is restarted after a pause.
/// </summary>
public sealed partial class KubernetesEndpointWatcher(
    ControllerOptions controllerOptions,
    KubernetesBackendOptions options,
    KubernetesClient client,
    ILogger<KubernetesEndpointWatcher> logger) : BackgroundService
{
    private readonly EndpointBroadcaster _endpoints = new();
    private readonly Lock _sync = new();
    private readonly Dictionary<(string Namespace, string Name), int> _desired = [];
    private readonly Dictionary<(string Namespace, string Pod), (string Function, string? Url)> _pods = [];

    public IEndpointSource Endpoints => _endpoints;

    /// <summary>Pause before restarting a watch that ended with an error.</summary>
    internal TimeSpan RestartDelay { get; init; } = TimeSpan.FromSeconds(2);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Annotation mode: namespaces come and go, and the ClusterRole allows watching all at once (null).
        // Configured mode: one watch per listed namespace, all the namespaced Roles allow.
        IEnumerable<string?> namespaces = options.NamespaceMode == KubernetesNamespaceMode.Annotation
            ? new string?[] { null }
            : new[] { controllerOptions.FunctionNamespace }.Concat(options.ExtraNamespaces).Distinct(StringComparer.Ordinal).Cast<string?>();
        var loops = namespaces.SelectMany(ns => new[]
        {
            KeepWatchingAsync(ns, "deployments", WatchDeploymentsAsync, stoppingToken),
            KeepWatchingAsync(ns, "pods", WatchPodsAsync, stoppingToken),
        });
        return Task.WhenAll(loops);
    }

    private async Task KeepWatchingAsync(string? ns, string kind, Func<string?, CancellationToken, Task> watch, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await watch(ns, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is KubernetesException or IOException or System.Text.Json.JsonException)
            {
                Log.WatchFailed(logger, kind, ns ?? "all namespaces", e.Message);
            }

            try
            {
                await Task.Delay(RestartDelay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task WatchDeploymentsAsync(string? watched, CancellationToken cancellationToken)
    {
        var selector = $"{FunctionObjects.ManagedByLabel}={FunctionObjects.ManagedByValue}";
        await foreach (var change in client.Deployments.WatchAsync(watched, new WatchOptions { LabelSelector = selector }, cancellationToken))
        {
            if (change.Object.Metadata.Name is not { } name || (change.Object.Metadata.Namespace ?? watched) is not { } ns)
            {
                continue;
            }

            lock (_sync)
            {
                if (change.Type == WatchEventType.Deleted)
                {
                    _desired.Remove((ns, name));
                }
                else
                {
                    _desired[(ns, name)] = change.Object.Spec?.Replicas ?? 0;
                }
            }

            Publish();
        }
    }

    private async Task WatchPodsAsync(string? watched, CancellationToken cancellationToken)
    {
        await foreach (var change in client.Pods.WatchAsync(watched, new WatchOptions { LabelSelector = FunctionObjects.FunctionLabel }, cancellationToken))
        {
            var pod = change.Object;
            if (pod.Metadata.Name is not { } podName || (pod.Metadata.Namespace ?? watched) is not { } ns)
            {
                continue;
            }

            lock (_sync)
            {
                var function = pod.Metadata.Labels?.GetValueOrDefault(FunctionObjects.FunctionLabel);
                if (change.Type == WatchEventType.Deleted || function is null)
                {
                    _pods.Remove((ns, podName));
                }
                else
                {
                    _pods[(ns, podName)] = (function, ReadyUrl(pod));
                }
            }

            Publish();
        }
    }

    /// <summary>The replica's address when it is Ready, has an IP and is not terminating; else null.</summary>
    private string? ReadyUrl(Pod pod)
    {
        var ready = pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
        var ip = pod.Status?.PodIP;
        if (!ready || string.IsNullOrEmpty(ip) || pod.Metadata.DeletionTimestamp is not null)
        {
            return null;
        }

        var host = ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]" : ip;
        return string.Create(CultureInfo.InvariantCulture, $"http://{host}:{options.WatchdogPort}");
    }

    private void Publish()
    {
        List<FunctionEndpoints> table;
        lock (_sync)
        {
            // Functions are those with a Deployment; pods of a deleted function no longer route.
            table = _desired.OrderBy(d => d.Key.Namespace, StringComparer.Ordinal).ThenBy(d => d.Key.Name, StringComparer.Ordinal)
                .Select(d => new FunctionEndpoints
                {
                    Name = d.Key.Name,
                    Namespace = d.Key.Namespace,
                    Replicas = d.Value,
                    Endpoints = _pods.Where(p => p.Key.Namespace == d.Key.Namespace && p.Value.Function == d.Key.Name && p.Value.Url is not null)
                        .OrderBy(p => p.Key.Pod, StringComparer.Ordinal)
                        .Select(p => new ReplicaEndpoint { Replica = p.Key.Pod, Url = p.Value.Url! })
                        .ToList(),
                })
                .ToList();
        }

        _endpoints.Publish(table);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7211, Level = LogLevel.Warning, Message = "Watch of {Kind} in {Namespace} ended ({Reason}); restarting")]
        public static partial void WatchFailed(ILogger logger, string kind, string @namespace, string reason);
    }
}

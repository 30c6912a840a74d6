using Faas.Contracts.Functions;
using Faas.Contracts.Logs;
using Faas.Controller.Configuration;
using Faas.Controller.Endpoints;
using Faas.Controller.Logs;
using Faas.Kubernetes;

namespace Faas.Controller.Backends.Kubernetes;

/// <summary>
/// A function is a Deployment + Service in its namespace (docs/internals.md). The API server is the
/// only state: list and get read Deployments, so a restarted controller sees what exists. Ready
/// replica addresses come from <see cref="KubernetesEndpointWatcher"/>'s pod watch.
/// </summary>
public sealed partial class KubernetesBackend(
    ControllerOptions controllerOptions,
    KubernetesBackendOptions options,
    KubernetesClient client,
    KubernetesEndpointWatcher watcher,
    ILogger<KubernetesBackend> logger) : IFunctionBackend
{
    public const string BackendName = "kubernetes";

    public string Orchestration => BackendName;

    public IEndpointSource Endpoints => watcher.Endpoints;

    public async Task<IReadOnlyList<FunctionStatus>> ListAsync(string @namespace, CancellationToken cancellationToken = default)
    {
        var list = await KubernetesErrors.ReadAsync(
            () => client.Deployments.ListAsync(@namespace, new ListOptions { LabelSelector = ManagedSelector }, cancellationToken),
            $"listing functions in namespace '{@namespace}'");
        return list.Items.Select(FunctionObjects.ToStatus).OfType<FunctionStatus>().OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
    }

    public async Task<FunctionStatus?> GetAsync(string name, string @namespace, CancellationToken cancellationToken = default)
    {
        var deployment = await GetDeploymentAsync(name, @namespace, cancellationToken);
        return deployment is null ? null : FunctionObjects.ToStatus(deployment);
    }

    public Task<BackendResult> DeployAsync(FunctionDeployment deployment, CancellationToken cancellationToken = default) =>
        ChangeAsync($"deploying '{deployment.Service}'", async () =>
        {
            var ns = deployment.Namespace ?? controllerOptions.FunctionNamespace;
            if (ScaleLabels.InitialReplicas(deployment.Labels, out var labelError) is var initial && labelError is not null)
            {
                return BackendResult.Invalid(labelError);
            }

            if (await GetDeploymentAsync(deployment.Service, ns, cancellationToken) is not null)
            {
                return BackendResult.Conflict($"function '{deployment.Service}' already exists in namespace '{ns}'; use PUT to update it");
            }

            await client.Deployments.CreateAsync(ns, FunctionObjects.Deployment(deployment, ns, initial ?? 1, options.WatchdogPort), cancellationToken);
            await EnsureServiceAsync(deployment.Service, ns, cancellationToken);
            Log.Deployed(logger, deployment.Service, ns, deployment.Image);
            return BackendResult.Accepted;
        });

    public Task<BackendResult> UpdateAsync(FunctionDeployment deployment, CancellationToken cancellationToken = default) =>
        ChangeAsync($"updating '{deployment.Service}'", async () =>
        {
            var ns = deployment.Namespace ?? controllerOptions.FunctionNamespace;
            if (ScaleLabels.InitialReplicas(deployment.Labels, out var labelError) is var _ && labelError is not null)
            {
                return BackendResult.Invalid(labelError);
            }

            // The controller-manager writes the Deployment's status all the time: a replace that lost
            // that race (409, stale resourceVersion) reads again and retries.
            for (var attempt = 1; ; attempt++)
            {
                if (await GetDeploymentAsync(deployment.Service, ns, cancellationToken) is not { } existing)
                {
                    return NotFound(deployment.Service, ns);
                }

                // The replica count is the scaler's; an update changes what runs, not how many.
                var replaced = FunctionObjects.Deployment(deployment, ns, existing.Spec?.Replicas ?? 1, options.WatchdogPort);
                replaced.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
                try
                {
                    await client.Deployments.ReplaceAsync(replaced, cancellationToken);
                    break;
                }
                catch (KubernetesConflictException e) when (!e.IsAlreadyExists && attempt < MaxReplaceAttempts)
                {
                }
            }

            await EnsureServiceAsync(deployment.Service, ns, cancellationToken);
            Log.Updated(logger, deployment.Service, ns, deployment.Image);
            return BackendResult.Accepted;
        });

    public Task<BackendResult> DeleteAsync(string name, string @namespace, CancellationToken cancellationToken = default) =>
        ChangeAsync($"removing '{name}'", async () =>
        {
            if (await GetDeploymentAsync(name, @namespace, cancellationToken) is null)
            {
                return NotFound(name, @namespace);
            }

            // Background: the Deployment goes at once, the garbage collector removes its ReplicaSets and pods.
            await client.Deployments.DeleteAsync(@namespace, name, DeleteOptions.Background, cancellationToken);
            try
            {
                await client.Services.DeleteAsync(@namespace, name, null, cancellationToken);
            }
            catch (KubernetesNotFoundException)
            {
                // Already gone (removed by hand): nothing left to clean up.
            }

            Log.Removed(logger, name, @namespace);
            return BackendResult.Accepted;
        });

    public Task<BackendResult> ScaleAsync(string name, string @namespace, int replicas, CancellationToken cancellationToken = default) =>
        ChangeAsync($"scaling '{name}'", async () =>
        {
            if (replicas < 0)
            {
                return BackendResult.Invalid($"replicas must be 0 or more, got {replicas}");
            }

            if (await GetDeploymentAsync(name, @namespace, cancellationToken) is null)
            {
                return NotFound(name, @namespace);
            }

            await client.Deployments.ScaleAsync(@namespace, name, replicas, cancellationToken);
            Log.Scaled(logger, name, @namespace, replicas);
            return BackendResult.Accepted;
        });

    /// <summary>From the pods' logs (<see cref="PodLogs"/>); needs a kubelet, so untested against the test control plane.</summary>
    public IAsyncEnumerable<LogMessage> ReadLogsAsync(LogQuery query, CancellationToken cancellationToken = default) =>
        PodLogs.ReadAsync(client, query, TimeProvider.System, cancellationToken);

    private const int MaxReplaceAttempts = 5;

    private static string ManagedSelector => $"{FunctionObjects.ManagedByLabel}={FunctionObjects.ManagedByValue}";

    private static BackendResult NotFound(string name, string ns) =>
        BackendResult.NotFound($"function '{name}' not found in namespace '{ns}'");

    /// <summary>The platform's Deployment of that name, or null (absent, or not made by the platform).</summary>
    private async Task<Deployment?> GetDeploymentAsync(string name, string ns, CancellationToken cancellationToken)
    {
        try
        {
            var deployment = await KubernetesErrors.ReadAsync(() => client.Deployments.GetAsync(ns, name, cancellationToken), $"reading function '{name}'");
            return deployment.Metadata.Labels?.GetValueOrDefault(FunctionObjects.ManagedByLabel) == FunctionObjects.ManagedByValue ? deployment : null;
        }
        catch (BackendException e) when (e.Result.Status == BackendStatus.NotFound)
        {
            return null;
        }
    }

    private async Task EnsureServiceAsync(string name, string ns, CancellationToken cancellationToken)
    {
        try
        {
            await client.Services.CreateAsync(ns, FunctionObjects.Service(name, ns, options.WatchdogPort), cancellationToken);
        }
        catch (KubernetesConflictException e) when (e.IsAlreadyExists)
        {
            // Kept across updates: its selector and port never change.
        }
    }

    private async Task<BackendResult> ChangeAsync(string what, Func<Task<BackendResult>> change)
    {
        try
        {
            return await change();
        }
        catch (BackendException e)
        {
            Log.Refused(logger, what, e.Result.Message);
            return e.Result;
        }
        catch (KubernetesException e)
        {
            var result = KubernetesErrors.ToResult(e, what);
            Log.Refused(logger, what, result.Message);
            return result;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7201, Level = LogLevel.Information, Message = "Deployed {Function} in {Namespace} ({Image})")]
        public static partial void Deployed(ILogger logger, string function, string @namespace, string image);

        [LoggerMessage(EventId = 7202, Level = LogLevel.Information, Message = "Updated {Function} in {Namespace} ({Image})")]
        public static partial void Updated(ILogger logger, string function, string @namespace, string image);

        [LoggerMessage(EventId = 7203, Level = LogLevel.Information, Message = "Removed {Function} from {Namespace}")]
        public static partial void Removed(ILogger logger, string function, string @namespace);

        [LoggerMessage(EventId = 7204, Level = LogLevel.Information, Message = "Scaled {Function} in {Namespace} to {Replicas}")]
        public static partial void Scaled(ILogger logger, string function, string @namespace, int replicas);

        [LoggerMessage(EventId = 7205, Level = LogLevel.Warning, Message = "Kubernetes refused {What}: {Reason}")]
        public static partial void Refused(ILogger logger, string what, string reason);
    }
}

using System.Globalization;
using Faas.Docker;

namespace Faas.Controller.Backends.Docker;

/// <summary>
/// The warm tier on Docker: the replicas' cgroups frozen, either by writing the freezer files directly
/// (cgroup mode, microseconds) or through <c>docker pause</c>/<c>unpause</c> (api mode), per <see cref="Freezer"/>.
/// </summary>
/// <remarks>
/// Same rules as the process backend (docs/internals.md, "Warm tier"):
/// 1. under the gate: only a settled function (every replica of the current generation ready) is
///    paused; <see cref="DockerFunction.Paused"/> is set and the table published without its replicas;
/// 2. without the gate: wait <see cref="PauseGrace"/> so gateways stop routing; a resume wins;
/// 3. under the gate again: a replica still serving a call (or not answering) cancels the pause;
///    else every container is paused.
/// Reconcile passes keep the tier consistent (<see cref="SettlePauseAsync"/>).
/// </remarks>
public sealed partial class DockerBackend : IWarmTier
{
    /// <summary>How long a pausing function is off the endpoint table before its containers are frozen.</summary>
    internal TimeSpan PauseGrace { get; init; } = TimeSpan.FromMilliseconds(250);

    private IContainerFreezer? _freezer;

    /// <summary>Freezes and thaws replicas (<c>docker_freezer</c>); cgroup and api modes must not be mixed on one container.</summary>
    internal IContainerFreezer Freezer => LazyInitializer.EnsureInitialized(ref _freezer, CreateFreezer);

    private IContainerFreezer CreateFreezer()
    {
        // The kernel's freeze is waited for in real time, whatever clock the backend runs on.
        var api = new ApiContainerFreezer(Docker);
        switch (Options.Freezer)
        {
            case DockerFreezerMode.Api:
                DockerBackendLog.FreezerChosen(_logger, api.Mode, "docker_freezer=api");
                return api;
            case DockerFreezerMode.Cgroup:
                var cgroup = new CgroupContainerFreezer(Docker, TimeProvider.System);
                DockerBackendLog.FreezerChosen(_logger, cgroup.Mode, "docker_freezer=cgroup");
                return cgroup;
            default:
                if (Docker.Options.Endpoint.Kind != DockerEndpointKind.Unix)
                {
                    DockerBackendLog.FreezerChosen(_logger, api.Mode, $"the daemon at {Docker.Options.Endpoint} is not on a local unix socket");
                    return api;
                }

                return new AutoContainerFreezer(api, new CgroupContainerFreezer(Docker, TimeProvider.System), _logger);
        }
    }

    public bool? IsPaused(string name, string @namespace)
    {
        lock (_functions)
        {
            return _functions.GetValueOrDefault((name, @namespace))?.Paused;
        }
    }

    public async Task<BackendResult> PauseAsync(string name, string @namespace, CancellationToken cancellationToken = default)
    {
        // 1.
        var begun = await ChangeAsync(() =>
        {
            if (Find(name, @namespace) is not { } function)
            {
                return Task.FromResult(NotFound(name, @namespace));
            }

            if (function.Paused && !function.Pausing)
            {
                return Task.FromResult(BackendResult.Accepted);
            }

            if (function.Pausing || function.Replicas == 0 || !function.IsSettled(Time.GetUtcNow()))
            {
                return Task.FromResult(NotPaused(name, "it is changing"));
            }

            lock (_functions)
            {
                function.Paused = true;
                function.Pausing = true;
            }

            PublishEndpoints();
            return Task.FromResult(BackendResult.Accepted);
        });
        if (begun.Status != BackendStatus.Accepted || Find(name, @namespace) is not { Pausing: true })
        {
            return begun;
        }

        // 2.
        try
        {
            await Task.Delay(PauseGrace, Time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await ResumeAsync(name, @namespace, CancellationToken.None);
            throw;
        }

        // 3.
        return await ChangeAsync(async () =>
        {
            if (Find(name, @namespace) is not { } function)
            {
                return NotFound(name, @namespace);
            }

            if (!function.Pausing)
            {
                return NotPaused(name, "it was resumed meanwhile");
            }

            if (!function.IsSettled(Time.GetUtcNow()))
            {
                await ResumeLockedAsync(function, "changed while pausing", CancellationToken.None);
                return NotPaused(name, "it is changing");
            }

            List<ObservedReplica> replicas;
            lock (_functions)
            {
                replicas = function.Observed.ToList();
            }

            foreach (var replica in replicas)
            {
                if (await InFlightAsync(replica, CancellationToken.None) is not 0 and var inFlight)
                {
                    DockerBackendLog.PauseCanceled(_logger, Qualified(function), replica.ContainerName, inFlight?.ToString(CultureInfo.InvariantCulture) ?? "unknown");
                    await ResumeLockedAsync(function, "call in flight", CancellationToken.None);
                    return NotPaused(name, "it is serving a call");
                }
            }

            var paused = new List<ObservedReplica>();
            foreach (var replica in replicas)
            {
                if (await Freezer.FreezeAsync(replica.ContainerId, CancellationToken.None) is { } error)
                {
                    // Gone or stopped meanwhile: thaw the others; the next pass replaces it.
                    lock (_functions)
                    {
                        function.Observed = [.. paused, .. replicas.Skip(paused.Count)];
                    }

                    await ResumeLockedAsync(function, "a container could not be paused", CancellationToken.None);
                    return NotPaused(name, $"container {replica.ContainerName} could not be paused ({error})");
                }

                paused.Add(replica with { Paused = true });
            }

            lock (_functions)
            {
                function.Observed = paused;
                function.Pausing = false;
            }

            DockerBackendLog.PauseChanged(_logger, Qualified(function), "paused", paused.Count);
            return BackendResult.Accepted;
        });
    }

    public Task<BackendResult> ResumeAsync(string name, string @namespace, CancellationToken cancellationToken = default) =>
        ChangeAsync(async () =>
        {
            if (Find(name, @namespace) is not { } function)
            {
                return NotFound(name, @namespace);
            }

            await ResumeLockedAsync(function, "resumed", cancellationToken);
            return BackendResult.Accepted;
        });

    /// <summary>
    /// Unpauses a paused (or pausing) function: its replicas were ready when frozen, so they go
    /// back into the endpoint table at once, without a probe. Call with the gate held.
    /// </summary>
    private async Task ResumeLockedAsync(DockerFunction function, string reason, CancellationToken cancellationToken)
    {
        if (!function.Paused)
        {
            return;
        }

        List<ObservedReplica> replicas;
        lock (_functions)
        {
            replicas = function.Observed.ToList();
        }

        foreach (var replica in replicas.Where(r => r.Paused))
        {
            await UnpauseQuietlyAsync(replica.ContainerId, cancellationToken);
        }

        lock (_functions)
        {
            function.Observed = replicas.Select(r => r with { Paused = false }).ToList();
            function.Paused = false;
            function.Pausing = false;
        }

        PublishEndpoints();
        DockerBackendLog.PauseChanged(_logger, Qualified(function), reason, replicas.Count);
    }

    /// <summary>
    /// Part of a reconcile pass (gate held): returns the ids of the containers that stay paused. A
    /// paused function stays so only while its whole set is paused, complete and current (a replica
    /// that died, a missing one, one thawed by hand: resume, the call path must not wait on a frozen
    /// set); a running function has no paused container (a mixed set adopted after a restart, a
    /// manual <c>docker pause</c>).
    /// </summary>
    private async Task<HashSet<string>> SettlePauseAsync(DockerFunction function, List<ContainerSummary> running, bool crashed, CancellationToken cancellationToken)
    {
        var paused = running.Where(Freezer.IsFrozen).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        if (function.Pausing)
        {
            return paused;
        }

        if (function.Paused)
        {
            var intact = !crashed && running.Count == function.Replicas && paused.Count == running.Count
                && running.All(c => Label(c, DockerLabels.Generation) == function.Generation.ToString(CultureInfo.InvariantCulture));
            if (intact)
            {
                return paused;
            }

            lock (_functions)
            {
                function.Paused = false;
            }

            DockerBackendLog.PauseChanged(_logger, Qualified(function), "resumed: the paused set changed", running.Count);
        }

        foreach (var id in paused)
        {
            await UnpauseQuietlyAsync(id, cancellationToken);
        }

        return [];
    }

    /// <summary>Adoption after a restart: a function is paused when every one of its replica containers is (frozen either way).</summary>
    private bool AllReplicasPaused(IReadOnlyList<ContainerSummary> containers, string name, string @namespace)
    {
        var replicas = containers.Where(c => Label(c, DockerLabels.Function) == name && Label(c, DockerLabels.Namespace) == @namespace
            && Label(c, DockerLabels.Role) == DockerLabels.ReplicaRole && !IsStandby(c)).ToList();
        return replicas.Count > 0 && replicas.All(Freezer.IsFrozen);
    }

    /// <summary>Calls in flight on a replica per its watchdog's <c>X-Inflight</c>; null when it cannot tell.</summary>
    /// <remarks>
    /// A replica that answers 200 without the header (an OpenFaaS image with another watchdog) counts
    /// as idle, else such images could never be paused; the grace period has stopped new calls.
    /// </remarks>
    private async Task<int?> InFlightAsync(ObservedReplica replica, CancellationToken cancellationToken)
    {
        if (replica.Address is null)
        {
            return null;
        }

        try
        {
            using var response = await _probe.GetAsync($"http://{replica.Address}:{Options.WatchdogPort}/_/ready", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return null; // 429: at max_inflight
            }

            if (!response.Headers.TryGetValues(Process.HttpReplicaProbe.InFlightHeader, out var values))
            {
                return 0;
            }

            return int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var inFlight) ? inFlight : null;
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    private async Task UnpauseIfPausedAsync(ContainerSummary container, CancellationToken cancellationToken)
    {
        if (Freezer.IsFrozen(container))
        {
            await UnpauseQuietlyAsync(container.Id, cancellationToken);
        }
    }

    /// <summary>Thaws a container however it was frozen; one gone or not frozen (any more) is fine.</summary>
    private Task UnpauseQuietlyAsync(string id, CancellationToken cancellationToken) => Freezer.ThawAsync(id, cancellationToken);

    private static BackendResult NotPaused(string name, string why) =>
        BackendResult.Conflict($"function '{name}' was not paused: {why}; try again later");
}

using System.Globalization;
using Faas.Docker;

namespace Faas.Controller.Backends.Docker;

public sealed partial class DockerBackend
{
    /// <summary>One reconcile pass (see the class remarks); never throws for daemon trouble.</summary>
    internal async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await ReconcileFunctionsAsync(cancellationToken);
        }
        catch (DockerUnavailableException e)
        {
            // Keep the known state (and the endpoint table) until the daemon is back.
            SetAvailable(false, e.Message);
        }
        catch (DockerException e)
        {
            DockerBackendLog.ReconcileFailed(_logger, e);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The pass itself; the caller holds the gate.</summary>
    private async Task ReconcileFunctionsAsync(CancellationToken cancellationToken)
    {
        // 1. Observe (containers being drained are no longer ours to count; a die event outranks a listing that lags it).
        var listed = WithDeathsApplied(await ListOwnAsync(cancellationToken));
        var containers = listed.Where(c => !_retiring.ContainsKey(c.Id)).ToList();
        SetAvailable(true, "listing containers answered");
        DropStartedReadyExcept(listed);
        DropWakingExcept(listed);
        await Freezer.RefreshAsync(listed, cancellationToken); // cgroup mode: frozen replicas look "running"

        // 2. Recover once.
        if (!_recovered)
        {
            Recover(containers);
            _recovered = true;
        }

        List<DockerFunction> functions;
        lock (_functions)
        {
            functions = _functions.Values.ToList();
        }

        // Sandboxes stay while a container names them (a draining replica included).
        var sandboxes = listed.Where(c => Label(c, DockerLabels.Role) == DockerLabels.SandboxRole).ToDictionary(c => c.Id, StringComparer.Ordinal);
        var known = ReferencedSandboxes(listed);

        // 3. Per function.
        foreach (var function in functions)
        {
            if (function.SpecContainerId is { } spec)
            {
                known.Add(spec);
            }

            var own = containers.Where(c => Label(c, DockerLabels.Function) == function.Name
                && Label(c, DockerLabels.Namespace) == function.Namespace
                && Label(c, DockerLabels.Role) == DockerLabels.ReplicaRole).ToList();
            foreach (var c in own)
            {
                known.Add(c.Id);
            }

            // A standby a scale call is starting counts as a replica, not as the standby.
            var standbys = own.Where(c => IsStandby(c) && !_waking.ContainsKey(c.Id)).ToList();
            await ReconcileFunctionAsync(function, own.Except(standbys).ToList(), standbys, sandboxes, cancellationToken);
        }

        // 4. Orphans: replicas of deleted functions, stale spec containers.
        foreach (var container in containers.Where(c => !known.Contains(c.Id)))
        {
            await UnpauseIfPausedAsync(container, cancellationToken);
            await RemoveContainerAsync(container.Id, cancellationToken);
            DockerBackendLog.ReplicaRemoved(_logger, ContainerName(container), Label(container, DockerLabels.Function) ?? "?", "orphan");
        }

        PublishEndpoints();

        // Settled: the slow safety-net poll is enough until an event or a change kicks a pass.
        var now = Time.GetUtcNow();
        _settled = _retiring.IsEmpty && functions.All(f => f.IsSettled(now));
    }

    private async Task ReconcileFunctionAsync(DockerFunction function, List<ContainerSummary> containers, List<ContainerSummary> standbys, IReadOnlyDictionary<string, ContainerSummary> sandboxes, CancellationToken cancellationToken)
    {
        var qualified = Qualified(function);

        // 3a. Exited, dead or never-started replicas are removed; the count below replaces them.
        var running = new List<ContainerSummary>();
        var crashed = false;
        foreach (var container in containers)
        {
            if (SandboxRunning(container, sandboxes) == false)
            {
                // Its network namespace went with the sandbox: unreachable, so replaced like a crash.
                DockerBackendLog.SandboxLost(_logger, ContainerName(container), qualified);
                await UnpauseIfPausedAsync(container, cancellationToken);
            }
            else if (container.State is "running" or "paused" || _waking.ContainsKey(container.Id))
            {
                // (A waking one is a standby a scale call is starting right now: a replica of its generation, not ready yet.)
                running.Add(container);
                continue;
            }
            else if (container.State is "created" or "restarting" && Time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(container.Created) < TimeSpan.FromSeconds(10))
            {
                continue; // being started right now by this controller
            }

            crashed = true;
            DockerBackendLog.ReplicaCrashed(_logger, ContainerName(container), qualified, container.State ?? "unknown");
            await RemoveContainerAsync(container.Id, cancellationToken);

            // A crash-looping image must not spin the daemon: back off the replacement.
            function.CrashBackoff = function.CrashBackoff == TimeSpan.Zero ? TimeSpan.FromSeconds(1) : TimeSpan.FromTicks(Math.Min(function.CrashBackoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            function.NextCreateAt = Time.GetUtcNow() + function.CrashBackoff;
        }

        // 3b. Readiness on the bridge IP.
        var paused = await SettlePauseAsync(function, running, crashed, cancellationToken);
        var observed = await Task.WhenAll(running.Select(c => ObserveAsync(c, AddressOf(c, sandboxes), paused.Contains(c.Id), cancellationToken)));
        var current = observed.Where(r => r.Generation == function.Generation).OrderBy(r => r.Created).ThenBy(r => r.ContainerName, StringComparer.Ordinal).ToList();
        var old = observed.Where(r => r.Generation != function.Generation).ToList();

        if (current.Any(r => r.Ready))
        {
            function.CrashBackoff = TimeSpan.Zero;
        }

        // 3c. Count of the current generation (replacements wait for the crash back-off); the standby is started first.
        var standby = await SettleStandbysAsync(function, standbys, sandboxes, cancellationToken);
        for (var missing = Time.GetUtcNow() < function.NextCreateAt ? 0 : function.Replicas - current.Count; missing > 0; missing--)
        {
            var woken = standby is null ? null : await WakeStandbyAsync(function, standby, sandboxes, cancellationToken);
            standby = null;
            function.Standby = null;
            if ((woken ?? await CreateReplicaAsync(function, cancellationToken)) is { } created)
            {
                current.Add(created);
            }
        }

        // Newest first on scale-down.
        foreach (var extra in current.OrderByDescending(r => r.Created).ThenByDescending(r => r.ContainerName, StringComparer.Ordinal).Take(Math.Max(0, current.Count - function.Replicas)).ToList())
        {
            Retire(extra.ContainerId, extra.Paused);
            current.Remove(extra);
            DockerBackendLog.ReplicaRemoved(_logger, extra.ContainerName, qualified, "scaled down");
        }

        // 3d. Older generations go once the new one is ready, or after the startup timeout at the latest.
        var newReady = current.Count(r => r.Ready) >= function.Replicas;
        var overdue = Time.GetUtcNow() - function.GenerationStartedAt > ControllerOptions.ReplicaStartupTimeout;
        if (old.Count > 0 && (newReady || overdue))
        {
            foreach (var replica in old)
            {
                Retire(replica.ContainerId, replica.Paused);
                DockerBackendLog.ReplicaRemoved(_logger, replica.ContainerName, qualified, "rolled out");
            }

            old.Clear();
        }

        lock (_functions)
        {
            function.Observed = [.. current.Select(WithStartedReady), .. old.Select(WithStartedReady)];
        }

        // 3e. A standby for the next wake, once nothing of this function is starting.
        await EnsureStandbyAsync(function, standby is not null, old.Count == 0 && newReady && current.Count == function.Replicas, cancellationToken);
    }

    /// <param name="address">Its bridge address (its own or its sandbox's), if it has one yet.</param>
    private async Task<ObservedReplica> ObserveAsync(ContainerSummary container, string? address, bool paused, CancellationToken cancellationToken)
    {
        // A paused replica cannot answer a probe; it was ready when it was paused. A start probe's
        // mark counts once (it may have succeeded after this pass's probe was sent).
        var (ready, probedAddress) = TakeStartedReady(container.Id);
        ready |= paused;
        if (string.IsNullOrEmpty(address))
        {
            address = probedAddress;
        }

        if (!ready && !string.IsNullOrEmpty(address))
        {
            try
            {
                using var response = await _probe.GetAsync($"http://{address}:{Options.WatchdogPort}/_/ready", cancellationToken);

                // 429: at max_inflight, alive and serving.
                ready = response.IsSuccessStatusCode || (int)response.StatusCode == 429;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }
        }

        return new ObservedReplica(
            container.Id,
            ContainerName(container),
            Label(container, DockerLabels.Replica) ?? container.Id[..12],
            int.TryParse(Label(container, DockerLabels.Generation), CultureInfo.InvariantCulture, out var g) ? g : 0,
            string.IsNullOrEmpty(address) ? null : address,
            ready,
            container.Created,
            paused);
    }

    /// <summary>Creates and starts one replica; a container that fails to start is removed so no name leaks.</summary>
    private async Task<ObservedReplica?> CreateReplicaAsync(DockerFunction function, CancellationToken cancellationToken)
    {
        var suffix = RandomSuffix();
        var name = $"{function.Name}-{suffix}";
        string? id = null;
        try
        {
            var secrets = await SecretsMountAsync(function, cancellationToken);
            var created = await Docker.Containers.CreateContainerAsync(
                ContainerSpec.Replica(function.Deployment, function.Namespace, name, suffix, function.Generation, Options, secrets), cancellationToken);
            id = created.Id;
            await Docker.Containers.StartContainerAsync(id, cancellationToken);
            DockerBackendLog.ReplicaStarted(_logger, name, suffix, Qualified(function));
            var replica = new ObservedReplica(id, name, suffix, function.Generation, null, false, Time.GetUtcNow().ToUnixTimeSeconds());
            WatchStart(function, replica);
            return replica;
        }
        catch (DockerException e) when (e is not DockerUnavailableException)
        {
            DockerBackendLog.CreateFailed(_logger, Qualified(function), e);
            if (id is not null)
            {
                await RemoveContainerAsync(id, CancellationToken.None);
            }

            return null;
        }
    }

    /// <summary>Functions from their spec containers: the highest revision per function wins.</summary>
    private void Recover(IReadOnlyList<ContainerSummary> containers)
    {
        var specs = containers.Where(c => Label(c, DockerLabels.Role) == DockerLabels.SpecRole)
            .GroupBy(c => (Label(c, DockerLabels.Function) ?? "", Label(c, DockerLabels.Namespace) ?? ""));
        var count = 0;
        lock (_functions)
        {
            foreach (var group in specs)
            {
                var spec = group.OrderByDescending(c => long.TryParse(Label(c, "com.faas.revision"), CultureInfo.InvariantCulture, out var r) ? r : 0).First();
                if (ParseDeployment(Label(spec, DockerLabels.Deployment)) is not { } deployment || _functions.ContainsKey(group.Key))
                {
                    continue;
                }

                _functions[group.Key] = new DockerFunction
                {
                    Name = group.Key.Item1,
                    Namespace = group.Key.Item2,
                    Deployment = deployment,
                    Replicas = int.TryParse(Label(spec, DockerLabels.Replicas), CultureInfo.InvariantCulture, out var n) ? n : 1,
                    Generation = int.TryParse(Label(spec, DockerLabels.Generation), CultureInfo.InvariantCulture, out var g) ? g : 1,
                    Revision = long.TryParse(Label(spec, "com.faas.revision"), CultureInfo.InvariantCulture, out var rev) ? rev : 0,
                    CreatedAt = DateTimeOffset.TryParse(Label(spec, DockerLabels.CreatedAt), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : Time.GetUtcNow(),
                    GenerationStartedAt = DateTimeOffset.TryParse(Label(spec, "com.faas.generation.started"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var gs) ? gs : Time.GetUtcNow(),
                    SpecContainerId = spec.Id,
                    Paused = AllReplicasPaused(containers, group.Key.Item1, group.Key.Item2),
                };
                count++;
            }
        }

        if (count > 0)
        {
            DockerBackendLog.Recovered(_logger, count);
        }
    }

    /// <summary>
    /// Stops a replica gracefully in the background (SIGTERM: the watchdog turns unready and drains,
    /// SIGKILL after <c>replica_drain_timeout</c>), then removes it. It is off the endpoint table from
    /// this pass on, and passes ignore it meanwhile.
    /// </summary>
    private void Retire(string id, bool paused)
    {
        if (!_retiring.TryAdd(id, 0))
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            // A frozen watchdog could not drain on SIGTERM: thaw it first.
            if (paused)
            {
                await UnpauseQuietlyAsync(id, CancellationToken.None);
            }

            try
            {
                await Docker.Containers.StopContainerAsync(id, ControllerOptions.ReplicaDrainTimeout);
            }
            catch (DockerException)
            {
                // Gone already, or the daemon went away: the removal below (or a later pass) finishes it.
            }

            try
            {
                await RemoveContainerAsync(id, CancellationToken.None);
            }
            catch (DockerException)
            {
                // A later pass removes it as an orphan or an exited replica.
            }
            finally
            {
                _retiring.TryRemove(id, out _);
            }
        });
    }

    private static string ContainerName(ContainerSummary container) => container.Names is { Count: > 0 } names ? names[0].TrimStart('/') : container.Id[..12];
}

using System.Collections.Concurrent;
using System.Globalization;
using Faas.Docker;

namespace Faas.Controller.Backends.Docker;

/// <summary>
/// The standby: one replica container per function created ahead of need and not started, so a wake
/// (scale from zero, or any scale-up) is a <c>start</c> instead of a create + start. A created
/// container holds no process, memory or CPU; only its writable layer exists.
/// </summary>
/// <remarks>
/// It is an ordinary replica container (same parameters, name <c>&lt;function&gt;-&lt;id&gt;</c>) labelled
/// <see cref="DockerLabels.Standby"/>; while its state is <c>created</c> passes count it apart from the
/// replicas: never an endpoint, never "being started", never an orphan. Labels cannot change, so once
/// started it simply is a replica (the label stays, the state says <c>running</c>). Rules, per pass:
/// 1. standbys of an older generation (update, redeploy) and extras are removed;
/// 2. a missing replica of the current generation starts the standby first, creates only when none is left;
///    a scale call that wakes the function starts it at once (<see cref="WakeStandbyEarly"/>), while it
///    writes the spec, and passes count it as a starting replica until they see it started;
/// 3. a new standby is created once the function is settled (its replicas ready), so the create does not
///    compete with a starting watchdog for CPU; none when <see cref="StandbyLabel"/> is <c>false</c>.
/// Delete removes it with the function's other containers; a restarted controller adopts it by labels.
/// A standby joins a sandbox's network namespace when it can (DockerBackend.Sandbox.cs).
/// </remarks>
public sealed partial class DockerBackend
{
    /// <summary>Per function: <c>false</c> keeps no standby container (default <c>true</c>).</summary>
    public const string StandbyLabel = "com.openfaas.scale.standby";

    /// <summary>How long after a failed standby create the next one is tried.</summary>
    private static readonly TimeSpan StandbyRetry = TimeSpan.FromSeconds(30);

    /// <summary>Standbys a scale call is starting; a pass drops one once it lists it started (or gone).</summary>
    private readonly ConcurrentDictionary<string, byte> _waking = new(StringComparer.Ordinal);

    internal static bool IsStandby(ContainerSummary container) =>
        container.State == "created" && container.Labels?.GetValueOrDefault(DockerLabels.Standby) == "true";

    private static bool WantsStandby(DockerFunction function) =>
        !(function.Deployment.Labels?.GetValueOrDefault(StandbyLabel) is { } text && bool.TryParse(text, out var on) && !on);

    /// <summary>Step 1: removes stale and extra standbys (and those whose sandbox stopped); returns the one a wake may start, if any.</summary>
    private async Task<ContainerSummary?> SettleStandbysAsync(DockerFunction function, List<ContainerSummary> standbys, IReadOnlyDictionary<string, ContainerSummary> sandboxes, CancellationToken cancellationToken)
    {
        var generation = function.Generation.ToString(CultureInfo.InvariantCulture);
        var keep = WantsStandby(function)
            ? standbys.Where(c => Label(c, DockerLabels.Generation) == generation && SandboxRunning(c, sandboxes) != false).OrderByDescending(c => c.Created).FirstOrDefault()
            : null;
        foreach (var stale in standbys.Where(c => c.Id != keep?.Id))
        {
            await RemoveContainerAsync(stale.Id, cancellationToken);
            DockerBackendLog.ReplicaRemoved(_logger, ContainerName(stale), Qualified(function), "standby replaced");
        }

        function.Standby = keep is null ? null : new StandbyContainer(keep.Id, ContainerName(keep), Label(keep, DockerLabels.Replica) ?? keep.Id[..12], function.Generation, AddressOf(keep, sandboxes));
        return keep;
    }

    /// <summary>Step 2: starts the standby as a replica; null (and the standby removed) when it does not start.</summary>
    private async Task<ObservedReplica?> WakeStandbyAsync(DockerFunction function, ContainerSummary standby, IReadOnlyDictionary<string, ContainerSummary> sandboxes, CancellationToken cancellationToken)
    {
        var name = ContainerName(standby);
        var replicaId = Label(standby, DockerLabels.Replica) ?? standby.Id[..12];
        try
        {
            await Docker.Containers.StartContainerAsync(standby.Id, cancellationToken);
        }
        catch (DockerException e) when (e is not DockerUnavailableException)
        {
            DockerBackendLog.CreateFailed(_logger, Qualified(function), e);
            await RemoveContainerAsync(standby.Id, CancellationToken.None);
            return null;
        }

        DockerBackendLog.StandbyStarted(_logger, name, replicaId, Qualified(function));
        var replica = new ObservedReplica(standby.Id, name, replicaId, function.Generation, AddressOf(standby, sandboxes), false, standby.Created);
        WatchStart(function, replica);
        return replica;
    }

    /// <summary>Step 3: creates the standby when the function wants one, has none and is not starting replicas.</summary>
    private async Task EnsureStandbyAsync(DockerFunction function, bool haveStandby, bool settled, CancellationToken cancellationToken)
    {
        if (haveStandby || !settled || !WantsStandby(function) || Time.GetUtcNow() < function.NextStandbyAt)
        {
            return;
        }

        // What this pass saw goes out first: the sandbox and container creates take 0.3-1 s, and a
        // replica that just became ready must not wait for them.
        PublishEndpoints();

        var suffix = RandomSuffix();
        var name = $"{function.Name}-{suffix}";
        var sandbox = await CreateSandboxAsync(function, name, suffix, cancellationToken);
        try
        {
            var secrets = await SecretsMountAsync(function, cancellationToken);
            var created = await Docker.Containers.CreateContainerAsync(
                ContainerSpec.Replica(function.Deployment, function.Namespace, name, suffix, function.Generation, Options, secrets, standby: true, sandbox?.Id), cancellationToken);
            function.Standby = new StandbyContainer(created.Id, name, suffix, function.Generation, sandbox?.Address);
            DockerBackendLog.StandbyCreated(_logger, name, Qualified(function));
        }
        catch (DockerException e) when (e is not DockerUnavailableException)
        {
            if (sandbox is { } made)
            {
                await RemoveQuietlyAsync(made.Id);
            }

            // Retried after a while (not every busy pass); a wake meanwhile creates its replica the slow way.
            DockerBackendLog.CreateFailed(_logger, Qualified(function), e);
            function.NextStandbyAt = Time.GetUtcNow() + StandbyRetry;
        }
    }

    /// <summary>
    /// Called by a scale call (gate held) after it raised the count: when the function has fewer
    /// replicas of its current generation than wanted and a standby of that generation, starts the
    /// standby in the background so the start overlaps the spec write instead of following it.
    /// </summary>
    private void WakeStandbyEarly(DockerFunction function)
    {
        if (function.Standby is not { } standby || standby.Generation != function.Generation || Time.GetUtcNow() < function.NextCreateAt)
        {
            return;
        }

        lock (_functions)
        {
            if (function.Observed.Count(r => r.Generation == function.Generation) >= function.Replicas)
            {
                return;
            }
        }

        function.Standby = null;
        _waking[standby.Id] = 0;
        var cancellationToken = _stopping.Token;
        _ = Task.Run(async () =>
        {
            try
            {
                await Docker.Containers.StartContainerAsync(standby.Id, cancellationToken);
                DockerBackendLog.StandbyStarted(_logger, standby.Name, standby.ReplicaId, Qualified(function));
                WatchStart(function, new ObservedReplica(standby.Id, standby.Name, standby.ReplicaId, standby.Generation, standby.Address, false, Time.GetUtcNow().ToUnixTimeSeconds()));
            }
            catch (DockerException e)
            {
                // Not started: gone, so that the next pass creates a replica the slow way.
                DockerBackendLog.CreateFailed(_logger, Qualified(function), e);
                await RemoveQuietlyAsync(standby.Id);
                _waking.TryRemove(standby.Id, out _);
            }
            catch (OperationCanceledException)
            {
                // The backend is stopping.
            }

            Kick();
        }, CancellationToken.None);
    }

    private async Task RemoveQuietlyAsync(string id)
    {
        try
        {
            await RemoveContainerAsync(id, CancellationToken.None);
        }
        catch (DockerException)
        {
            // A later pass removes it (an exited standby is a crashed replica).
        }
    }

    /// <summary>A waking standby stays one until a pass lists it in another state than <c>created</c>, or not at all.</summary>
    private void DropWakingExcept(IEnumerable<ContainerSummary> listed)
    {
        if (_waking.IsEmpty)
        {
            return;
        }

        var created = listed.Where(c => c.State == "created").Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var id in _waking.Keys.Where(id => !created.Contains(id)))
        {
            _waking.TryRemove(id, out _);
        }
    }
}

/// <summary>The function's standby container as the last pass saw or made it.</summary>
/// <param name="Address">Its sandbox's bridge address, known before it starts; null without a sandbox.</param>
internal sealed record StandbyContainer(string Id, string Name, string ReplicaId, int Generation, string? Address);

using System.Collections.Concurrent;
using Faas.Docker;

namespace Faas.Controller.Backends.Docker;

/// <summary>
/// Start probes: a replica this controller just started is probed on its own every
/// <see cref="StartProbeInterval"/> and published the moment its <c>/_/ready</c> answers, instead of
/// at the next pass (up to <see cref="BusyInterval"/> later, plus the pass's own work).
/// </summary>
/// <remarks>
/// The probe runs outside the gate. What it saw is kept in <see cref="_startedReady"/> until a pass
/// observes the container (a pass that began before the probe succeeded must not publish it unready
/// again); each pass consumes the marks of the containers it observed and drops those of containers
/// that are gone.
/// </remarks>
public sealed partial class DockerBackend
{
    private readonly ConcurrentDictionary<string, string> _startedReady = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    // Short timeouts: the address is on a local bridge, a refused connect is immediate, and a
    // slow answer is retried at the next tick rather than waited for.
    private readonly HttpClient _startProbe = new(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromMilliseconds(250) })
    {
        Timeout = TimeSpan.FromMilliseconds(500),
    };

    /// <summary>How often a just-started replica is probed until it is ready.</summary>
    internal TimeSpan StartProbeInterval { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Probes a just-started container in the background until ready, gone or past <c>replica_startup_timeout</c>.</summary>
    /// <param name="started">The replica as started; its address when known (a sandbox's), else the container is inspected.</param>
    private void WatchStart(DockerFunction function, ObservedReplica started) =>
        _ = Task.Run(() => WatchStartAsync(function, started, _stopping.Token));

    private async Task WatchStartAsync(DockerFunction function, ObservedReplica started, CancellationToken cancellationToken)
    {
        var containerId = started.ContainerId;
        var address = started.Address;
        try
        {
            if (string.IsNullOrEmpty(address))
            {
                var inspect = await Docker.Containers.InspectContainerAsync(containerId, cancellationToken);
                address = inspect.NetworkSettings?.Networks?.GetValueOrDefault(Options.Network)?.IPAddress;
            }

            if (string.IsNullOrEmpty(address))
            {
                return;
            }

            var url = $"http://{address}:{Options.WatchdogPort}/_/ready";
            var deadline = Time.GetUtcNow() + ControllerOptions.ReplicaStartupTimeout;
            while (Time.GetUtcNow() < deadline && Find(function.Name, function.Namespace) == function && !_retiring.ContainsKey(containerId))
            {
                if (await ProbeReadyAsync(_startProbe, url, cancellationToken))
                {
                    MarkStartedReady(function, started with { Address = address });
                    return;
                }

                await Task.Delay(StartProbeInterval, Time, cancellationToken);
            }
        }
        catch (Exception e) when (e is DockerException or OperationCanceledException)
        {
            // Gone, the daemon away, or the backend stopping: passes keep probing as before.
        }
    }

    /// <summary>200 or 429 (at <c>max_inflight</c>: alive and serving) is ready; no answer is not.</summary>
    private static async Task<bool> ProbeReadyAsync(HttpClient client, string url, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetAsync(url, cancellationToken);
            return response.IsSuccessStatusCode || (int)response.StatusCode == 429;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private void MarkStartedReady(DockerFunction function, ObservedReplica started)
    {
        var containerId = started.ContainerId;
        var address = started.Address!;
        _startedReady[containerId] = address;
        lock (_functions)
        {
            var i = function.Observed.FindIndex(r => r.ContainerId == containerId);
            if (i >= 0)
            {
                function.Observed[i] = function.Observed[i] with { Ready = true, Address = address };
            }
            else if (started.Generation == function.Generation && !_retiring.ContainsKey(containerId))
            {
                // Started by a scale call or by a pass still busy (making the next standby): no pass
                // has written it yet. Published now; the next pass's listing replaces the entry.
                function.Observed.Add(started with { Ready = true });
            }

            PublishEndpoints();
        }

        DockerBackendLog.StartProbeReady(_logger, containerId[..12], Qualified(function));

        // The pass retires older generations and creates the standby once this one is ready.
        Kick();
    }

    /// <summary>A pass observed the container: the start probe's mark is used once, then the pass's own probes rule.</summary>
    private (bool Ready, string? Address) TakeStartedReady(string containerId) =>
        _startedReady.TryRemove(containerId, out var address) ? (true, address) : (false, null);

    /// <summary>Before a pass writes what it observed: marks set since it probed still count.</summary>
    private ObservedReplica WithStartedReady(ObservedReplica replica) =>
        !replica.Ready && _startedReady.TryGetValue(replica.ContainerId, out var address)
            ? replica with { Ready = true, Address = replica.Address ?? address }
            : replica;

    /// <summary>Marks of containers the pass's listing no longer shows are dropped.</summary>
    private void DropStartedReadyExcept(IEnumerable<ContainerSummary> listed)
    {
        if (_startedReady.IsEmpty)
        {
            return;
        }

        var ids = listed.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var id in _startedReady.Keys.Where(id => !ids.Contains(id)))
        {
            _startedReady.TryRemove(id, out _);
        }
    }
}

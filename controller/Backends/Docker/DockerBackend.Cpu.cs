using System.Collections.Concurrent;
using System.Globalization;
using Faas.Docker;

namespace Faas.Controller.Backends.Docker;

/// <summary>
/// Replica CPU for the cpu scaling type: each replica container's init process, as seen in this
/// machine's <c>/proc</c>, read by <see cref="Autoscaling.ProcCpuReader"/> like a process-backend replica
/// (the init and its descendants; processes orphaned inside the container are re-parented to the init).
/// </summary>
/// <remarks>
/// Why the pid and not the container's cgroup (<c>cpuacct.usage</c>, <c>cpu.stat</c>): the cgroup path
/// depends on the cgroup version, the daemon's cgroup driver (cgroupfs or systemd) and its cgroup
/// parent, and on which hierarchies this machine mounts where; the pid is the same on all of them,
/// and the reading is then exactly the process backend's, so a function's cpu target means the same
/// on both backends.
/// 1. A scrape lists the observed replicas and hands out the cached pid of each container.
/// 2. A container not in the cache gets one inspect in the background (<c>State.Pid</c>); it is
///    exposed from the scrape after the inspect returned.
/// 3. The pid counts only when <c>/proc/&lt;pid&gt;/cgroup</c> names the container: a controller in a
///    container or on another machine than the daemon sees another process or none under that pid.
///    Then the container is cached as blind, nothing is exposed for it, and a warning is logged once.
/// 4. Entries of containers no longer observed, and pids gone from <c>/proc</c>, are dropped.
/// </remarks>
public sealed partial class DockerBackend : IReplicaProcesses
{
    // Container id -> host pid of its init; 0 = inspected, not visible here.
    private readonly ConcurrentDictionary<string, int> _pids = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _pidLookups = new(StringComparer.Ordinal);
    private int _cpuBlindLogged;

    /// <summary>Where <c>/proc</c> is read (tests point it elsewhere).</summary>
    internal string ProcRoot { get; init; } = DefaultProcRoot;

    internal const string DefaultProcRoot = "/proc";

    /// <summary>The cached pid of a container: null = not inspected yet, 0 = not visible here.</summary>
    internal int? CachedPid(string containerId) => _pids.TryGetValue(containerId, out var pid) ? pid : null;

    public IReadOnlyList<ReplicaProcess> ListReplicaProcesses()
    {
        // 1. A snapshot under the lock, the rest outside it.
        var replicas = new List<(string Function, string Replica, string Container)>();
        lock (_functions)
        {
            foreach (var f in _functions.Values)
            {
                foreach (var r in f.Observed)
                {
                    replicas.Add((Qualified(f), r.ReplicaId, r.ContainerId));
                }
            }
        }

        var list = new List<ReplicaProcess>(replicas.Count);
        foreach (var (function, replica, container) in replicas)
        {
            if (!_pids.TryGetValue(container, out var pid))
            {
                LookUpPid(container);
            }
            else if (pid > 0 && !Directory.Exists(Path.Combine(ProcRoot, pid.ToString(CultureInfo.InvariantCulture))))
            {
                // 4. The init exited (the container stopped or restarted): inspect again next time.
                _pids.TryRemove(container, out _);
            }
            else if (pid > 0)
            {
                list.Add(new ReplicaProcess(function, replica, pid));
            }
        }

        // 4. Containers that are gone.
        if (!_pids.IsEmpty)
        {
            var live = replicas.Select(r => r.Container).ToHashSet(StringComparer.Ordinal);
            foreach (var id in _pids.Keys.Where(id => !live.Contains(id)))
            {
                _pids.TryRemove(id, out _);
            }
        }

        return list;
    }

    /// <summary>
    /// True when <paramref name="pid"/> in <paramref name="procRoot"/> is a process of container
    /// <paramref name="containerId"/>: its <c>cgroup</c> file names the container (cgroupfs
    /// <c>/docker/&lt;id&gt;</c>, systemd <c>docker-&lt;id&gt;.scope</c>, any cgroup parent; v1 and v2).
    /// </summary>
    public static bool IsContainerProcess(string procRoot, int pid, string containerId)
    {
        if (pid <= 0 || containerId.Length == 0)
        {
            return false;
        }

        try
        {
            var cgroups = File.ReadAllText(Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), "cgroup"));
            return cgroups.Contains(containerId, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>2. One inspect per container at a time, off the scrape.</summary>
    private void LookUpPid(string containerId)
    {
        if (!_pidLookups.TryAdd(containerId, 0))
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                var inspect = await Docker.Containers.InspectContainerAsync(containerId, timeout.Token);
                if (inspect.State is not { Pid: > 0 } state)
                {
                    // Not running (yet): asked again at the next scrape.
                    return;
                }

                // 3.
                if (IsContainerProcess(ProcRoot, state.Pid, containerId))
                {
                    _pids[containerId] = state.Pid;
                }
                else
                {
                    _pids[containerId] = 0;
                    if (Interlocked.Exchange(ref _cpuBlindLogged, 1) == 0)
                    {
                        LogCpuBlind(_logger, containerId[..Math.Min(12, containerId.Length)], state.Pid, Options.Endpoint.ToString());
                    }
                }
            }
            catch (Exception e) when (e is DockerException or OperationCanceledException or ObjectDisposedException)
            {
                // Gone, the daemon away, or stopping: asked again at the next scrape.
            }
            finally
            {
                _pidLookups.TryRemove(containerId, out _);
            }
        });
    }

    [LoggerMessage(EventId = 650, Level = LogLevel.Warning, Message = "Container {Container}'s process {Pid} is not visible in this machine's /proc (the controller runs in a container or apart from the daemon at {Endpoint}): functions with com.openfaas.scale.type=cpu see no load and stay at their minimum")]
    private static partial void LogCpuBlind(ILogger logger, string container, int pid, string endpoint);
}

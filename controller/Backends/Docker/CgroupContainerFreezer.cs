using System.Collections.Concurrent;
using Faas.Docker;

namespace Faas.Controller.Backends.Docker;

/// <summary>
/// cgroup mode: replicas are frozen and thawed by writing their cgroup's freezer file, so Docker
/// keeps reporting them as running; which ones are frozen is read back from the files. A container
/// Docker paused (by hand) is thawed through the API, since runc's resume refuses a cgroup someone
/// else thawed.
/// </summary>
internal sealed class CgroupContainerFreezer(DockerClient docker, TimeProvider time, string procRoot = "/proc", string cgroupRoot = "/sys/fs/cgroup") : IContainerFreezer
{
    private readonly ApiContainerFreezer _api = new(docker);

    // A container keeps its cgroup for life, so the inspect that finds it runs once per container
    // (null: not found; a forced cgroup mode where it cannot work must not inspect on every pass).
    private readonly ConcurrentDictionary<string, CgroupFreezerFile?> _files = new(StringComparer.Ordinal);

    // Frozen through the cgroup (Docker says running); only these are thawed by a write. True: frozen
    // by this controller; false: found frozen, which may also be runc half-way through a docker pause.
    private readonly ConcurrentDictionary<string, bool> _frozen = new(StringComparer.Ordinal);

    public string Mode => "cgroup";

    public DockerClient Docker => docker;

    public async Task RefreshAsync(IReadOnlyList<ContainerSummary> containers, CancellationToken cancellationToken)
    {
        var running = containers.Where(c => c.State == "running").Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var listed = containers.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var id in _files.Keys.Where(id => !listed.Contains(id)))
        {
            _files.TryRemove(id, out _);
        }

        foreach (var id in running)
        {
            if (await LocateAsync(id, cancellationToken) is { } file && CgroupFreezer.Read(file) == FreezerState.Frozen)
            {
                _frozen.TryAdd(id, false);
            }
            else
            {
                _frozen.TryRemove(id, out _);
            }
        }

        foreach (var id in _frozen.Keys.Where(id => !running.Contains(id)))
        {
            _frozen.TryRemove(id, out _);
        }
    }

    public bool IsFrozen(ContainerSummary container) =>
        container.State == "paused" || (container.State == "running" && _frozen.ContainsKey(container.Id));

    public async Task<string?> FreezeAsync(string containerId, CancellationToken cancellationToken)
    {
        if (await LocateAsync(containerId, cancellationToken) is not { } file)
        {
            return "its cgroup freezer was not found";
        }

        var error = await CgroupFreezer.FreezeAsync(file, time, cancellationToken);
        if (error is null)
        {
            _frozen[containerId] = true;
        }

        return error;
    }

    public async Task ThawAsync(string containerId, CancellationToken cancellationToken)
    {
        if (_frozen.TryRemove(containerId, out var ours) && _files.TryGetValue(containerId, out var file) && file is not null
            && (ours || !await PausedByDockerAsync(containerId, cancellationToken)))
        {
            CgroupFreezer.Thaw(file);
            return;
        }

        await _api.ThawAsync(containerId, cancellationToken);
    }

    /// <summary>
    /// Whether Docker has (or is putting) the container in its paused state: a listing can show a
    /// container running while runc freezes it, and a direct thaw then would leave Docker "paused"
    /// over a thawed cgroup that runc can no longer resume. Inspect waits for the pause to finish.
    /// </summary>
    private async Task<bool> PausedByDockerAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            return (await docker.Containers.InspectContainerAsync(containerId, cancellationToken)).State?.Paused == true;
        }
        catch (DockerException e) when (e is not DockerUnavailableException)
        {
            return false; // gone: thawing its (gone) cgroup is harmless
        }
    }

    /// <summary>The container's freezer from its init pid; null when it is not running or the cgroup is not visible here.</summary>
    public async Task<CgroupFreezerFile?> LocateAsync(string containerId, CancellationToken cancellationToken)
    {
        if (_files.TryGetValue(containerId, out var known))
        {
            return known;
        }

        try
        {
            var inspect = await docker.Containers.InspectContainerAsync(containerId, cancellationToken);
            if (inspect.State is not { Pid: > 0 } state)
            {
                return null; // not running (yet): ask again later
            }

            var procCgroup = await File.ReadAllTextAsync(Path.Combine(procRoot, state.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "cgroup"), cancellationToken);
            var unifiedAtRoot = File.Exists(Path.Combine(cgroupRoot, "cgroup.controllers"));
            var file = CgroupFreezer.Locate(procCgroup, inspect.Id, cgroupRoot, unifiedAtRoot);
            var found = file is not null && File.Exists(file.ControlFile) ? file : null;
            _files[containerId] = found;
            return found;
        }
        catch (Exception e) when ((e is DockerException && e is not DockerUnavailableException) || e is IOException or UnauthorizedAccessException)
        {
            // Gone, or its init exited meanwhile: the container is on its way out.
            return null;
        }
    }
}

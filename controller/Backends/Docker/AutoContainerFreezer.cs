using Faas.Docker;

namespace Faas.Controller.Backends.Docker;

/// <summary>
/// <c>docker_freezer=auto</c> on a local socket: the first running container decides once. Its
/// cgroup freezer found and writable → cgroup mode, else the API. The API answers until then.
/// </summary>
internal sealed class AutoContainerFreezer(ApiContainerFreezer api, CgroupContainerFreezer cgroup, ILogger logger) : IContainerFreezer
{
    private volatile IContainerFreezer? _chosen;

    public string Mode => _chosen?.Mode ?? "auto";

    private IContainerFreezer Current => _chosen ?? api;

    public async Task RefreshAsync(IReadOnlyList<ContainerSummary> containers, CancellationToken cancellationToken)
    {
        if (_chosen is null && containers.FirstOrDefault(c => c.State == "running") is { } first)
        {
            await ChooseAsync(first.Id, cancellationToken);
        }

        await Current.RefreshAsync(containers, cancellationToken);
    }

    public bool IsFrozen(ContainerSummary container) => Current.IsFrozen(container);

    public async Task<string?> FreezeAsync(string containerId, CancellationToken cancellationToken)
    {
        if (_chosen is null)
        {
            await ChooseAsync(containerId, cancellationToken);
        }

        return await Current.FreezeAsync(containerId, cancellationToken);
    }

    public Task ThawAsync(string containerId, CancellationToken cancellationToken) => Current.ThawAsync(containerId, cancellationToken);

    private async Task ChooseAsync(string containerId, CancellationToken cancellationToken)
    {
        var file = await cgroup.LocateAsync(containerId, cancellationToken);
        if (file is null)
        {
            // Inspect failed or the container stopped: decide on the next one rather than on a guess.
            if (await ExistsRunningAsync(containerId, cancellationToken) is false)
            {
                return;
            }

            Choose(api, $"no cgroup freezer of container {containerId[..12]} is visible here (/proc and /sys/fs/cgroup are not the daemon's host's)");
        }
        else if (!CgroupFreezer.IsWritable(file))
        {
            Choose(api, $"{file.ControlFile} is not writable (the controller needs root on the daemon's host)");
        }
        else
        {
            Choose(cgroup, $"{file.ControlFile} ({file.Version}) is writable");
        }
    }

    private async Task<bool?> ExistsRunningAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            var inspect = await cgroup.Docker.Containers.InspectContainerAsync(containerId, cancellationToken);
            return inspect.State is { Running: true, Pid: > 0 };
        }
        catch (DockerException e) when (e is not DockerUnavailableException)
        {
            return false;
        }
    }

    private void Choose(IContainerFreezer freezer, string why)
    {
        _chosen = freezer;
        DockerBackendLog.FreezerChosen(logger, freezer.Mode, why);
    }
}

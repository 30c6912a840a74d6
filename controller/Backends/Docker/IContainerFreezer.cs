using Faas.Docker;

namespace Faas.Controller.Backends.Docker;

/// <summary>How the warm tier freezes and thaws replica containers (<c>docker_freezer</c>).</summary>
/// <remarks>
/// <see cref="RefreshAsync"/> runs once per reconcile pass (gate held) before any <see cref="IsFrozen"/>
/// of that pass: in cgroup mode Docker reports a frozen container as running, so only the freezer
/// files tell.
/// </remarks>
internal interface IContainerFreezer
{
    /// <summary><c>api</c> or <c>cgroup</c> (<c>auto</c> before it has chosen).</summary>
    string Mode { get; }

    Task RefreshAsync(IReadOnlyList<ContainerSummary> containers, CancellationToken cancellationToken);

    /// <summary>Paused by Docker, or frozen through its cgroup (as of the last refresh or freeze).</summary>
    bool IsFrozen(ContainerSummary container);

    /// <summary>Null when the container is frozen, else why it is not (it is left running).</summary>
    Task<string?> FreezeAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>Thaws a container however it was frozen; one gone or not frozen is fine.</summary>
    Task ThawAsync(string containerId, CancellationToken cancellationToken);
}

/// <summary>The Engine API: <c>docker pause</c> / <c>docker unpause</c> (runc through containerd, tens of ms each).</summary>
internal sealed class ApiContainerFreezer(DockerClient docker) : IContainerFreezer
{
    public string Mode => "api";

    public Task RefreshAsync(IReadOnlyList<ContainerSummary> containers, CancellationToken cancellationToken) => Task.CompletedTask;

    public bool IsFrozen(ContainerSummary container) => container.State == "paused";

    public async Task<string?> FreezeAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            await docker.Containers.PauseContainerAsync(containerId, cancellationToken);
            return null;
        }
        catch (DockerException e) when (e is not DockerUnavailableException)
        {
            return e.Message;
        }
    }

    public async Task ThawAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            await docker.Containers.UnpauseContainerAsync(containerId, cancellationToken);
        }
        catch (DockerException e) when (e is not DockerUnavailableException)
        {
            // Not paused, or gone: either way it is not frozen.
        }
    }
}

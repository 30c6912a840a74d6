namespace Faas.EndToEnd.Tests.Infrastructure;

/// <summary>
/// What a backend's replicas look like from outside the platform (processes in /proc, containers on
/// the daemon), so the autoscaling journeys can check the real replicas and not only the API's counts.
/// </summary>
public interface IReplicaObserver
{
    /// <summary>Ids (pids, container ids) of <paramref name="function"/>'s replicas that are alive: running or paused.</summary>
    Task<IReadOnlySet<string>> LiveReplicasAsync(string function);

    /// <summary>True when the replica is frozen by the warm tier (SIGSTOP, <c>docker pause</c>).</summary>
    Task<bool> IsPausedAsync(string replica);
}

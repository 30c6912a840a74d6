namespace Faas.Controller.Backends;

/// <summary>
/// The warm tier: a backend that can pause a function's replicas (no CPU, memory and sockets
/// kept) and resume them in milliseconds. Optional: the autoscaler pauses only through a backend
/// that implements it. Paused replicas are never in the endpoint table; any scale request resumes them.
/// </summary>
public interface IWarmTier
{
    /// <summary>Whether the function's replicas are paused; null for an unknown function.</summary>
    bool? IsPaused(string name, string @namespace);

    /// <summary>
    /// Takes the replicas off the endpoint table, waits for callers to notice, and pauses them
    /// unless a call is still in flight (then <see cref="BackendStatus.Conflict"/>: try again later).
    /// </summary>
    Task<BackendResult> PauseAsync(string name, string @namespace, CancellationToken cancellationToken = default);

    /// <summary>Resumes paused replicas; they are back in the endpoint table at once (no probe).</summary>
    Task<BackendResult> ResumeAsync(string name, string @namespace, CancellationToken cancellationToken = default);
}

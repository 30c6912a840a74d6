namespace Faas.Controller.Backends.Process;

/// <summary>
/// Intervals of the process backend that are fixed by docs/internals.md (not configuration keys);
/// a record so that tests can shorten them.
/// </summary>
public sealed record ProcessBackendTimings
{
    /// <summary>Readiness poll while a replica is starting.</summary>
    public TimeSpan StartingPollInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Health poll once a replica is ready.</summary>
    public TimeSpan ReadyPollInterval { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Consecutive failed health checks of a ready replica that count as a crash.</summary>
    public int HealthFailureThreshold { get; init; } = 3;

    /// <summary>Wait before replacing the first crashed replica; doubles per crash up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Upper bound between two reconcile passes when nothing signals a change.</summary>
    public TimeSpan ReconcileInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often followed log files are checked for new lines and new replicas.</summary>
    public TimeSpan LogPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Between taking replicas off the endpoint table and pausing them: gateways stop routing meanwhile.</summary>
    public TimeSpan PauseGrace { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan BackoffAfter(int failures)
    {
        var factor = Math.Pow(2, Math.Clamp(failures - 1, 0, 30));
        var ticks = Math.Min(InitialBackoff.Ticks * factor, MaxBackoff.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }
}

using Faas.Controller.Autoscaling;

namespace Faas.Controller.Tests.Autoscaling;

/// <summary>
/// Drives <see cref="ScaleDecider"/> like the autoscaler loop: one decision per tick on a manual
/// clock. Replicas become ready at once unless <see cref="ReadyLag"/> holds them back.
/// </summary>
internal sealed class ScaleTimeline(ScalingSpec spec, int initialReplicas = 1)
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private DeciderState _state = DeciderState.Empty;

    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(2);

    public int Desired { get; private set; } = initialReplicas;

    public int Ready { get; set; } = initialReplicas;

    /// <summary>When false, ready replicas stay where the test put them.</summary>
    public bool ReadyFollowsDesired { get; set; } = true;

    public DeciderState State => _state;

    /// <summary>Whether the replicas are paused (the warm tier) after the last decision.</summary>
    public bool Paused { get; private set; }

    /// <summary>Every pause decision taken, in step with <see cref="History"/>.</summary>
    public List<bool> PausedHistory { get; } = [];

    /// <summary>Every decision taken, for assertions about flapping.</summary>
    public List<int> History { get; } = [];

    /// <summary>Runs <paramref name="duration"/> worth of ticks with a constant load; returns the last desired count.</summary>
    public int Run(double load, TimeSpan duration)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += Tick)
        {
            Step(load);
        }

        return Desired;
    }

    /// <summary>A change made outside the decider (the gateway, <c>faas-cli scale</c>).</summary>
    public void SetDesired(int replicas) => Desired = replicas;

    /// <summary>A resume made outside the decider (the gateway's wake-up of a paused function).</summary>
    public void Resume() => Paused = false;

    public int Step(double load)
    {
        _clock.Advance(Tick);
        (Desired, Paused, _state) = ScaleDecider.Decide(spec, new LoadSample(load), Ready, Desired, Paused, _clock.GetUtcNow(), _state);
        if (ReadyFollowsDesired)
        {
            Ready = Desired;
        }

        History.Add(Desired);
        PausedHistory.Add(Paused);
        return Desired;
    }
}

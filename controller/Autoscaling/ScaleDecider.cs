namespace Faas.Controller.Autoscaling;

/// <summary>The load observed for one function at one instant, in the unit of its <see cref="ScalingType"/>.</summary>
public readonly record struct LoadSample(double Value);

/// <summary>A past observation kept by <see cref="DeciderState"/>.</summary>
public readonly record struct TimedValue(DateTimeOffset At, double Value);

/// <summary>
/// What <see cref="ScaleDecider"/> remembers between decisions for one function. Immutable: each
/// decision returns the next state. Start with <see cref="Empty"/>.
/// </summary>
public sealed record DeciderState
{
    public static readonly DeciderState Empty = new();

    /// <summary>Load samples within the stable window, oldest first.</summary>
    public IReadOnlyList<TimedValue> Loads { get; init; } = [];

    /// <summary>Replica recommendations within the scale-down delay, oldest first.</summary>
    public IReadOnlyList<TimedValue> Recommendations { get; init; } = [];

    /// <summary>When the panic mode was last (re)confirmed; null when not panicking.</summary>
    public DateTimeOffset? PanicSince { get; init; }

    /// <summary>The last time any load was seen (first decision counts as activity).</summary>
    public DateTimeOffset? LastActive { get; init; }

    /// <summary>The count the previous decision returned; null before the first.</summary>
    public int? LastDesired { get; init; }

    /// <summary>Whether the previous decision paused the replicas (the warm tier).</summary>
    public bool LastPaused { get; init; }

    public bool Panicking => PanicSince is not null;
}

/// <summary>
/// Decides a function's replica count and whether its replicas are paused (the warm tier). A pure
/// function of (spec, observed load, ready replicas, current desired replicas, current pause, now,
/// previous state): no clock, no I/O, so it is tested as timelines.
/// </summary>
/// <remarks>
/// The Knative KPA model with the OpenFaaS Pro formula (<c>openfaas-reference.md</c> §5.4):
/// 1. Static functions (min == max) are left alone.
/// 2. Remember the sample; forget what is older than the windows.
/// 3. Scale to zero when enabled and no load was seen for <c>zero-duration</c> (time spent waiting
///    for a first ready replica does not count as idle).
/// 4. stable = ceil(avg load over the stable window / (target × proportion)); panic = the same
///    over the panic window.
/// 5. Panic starts when panic / max(ready, 1) reaches the threshold and ends one stable window
///    after the last time it did; while panicking the count never goes down.
/// 6. A scale-down goes only to the highest recommendation within the scale-down delay.
/// 7. Clamp to [max(min, 1), max].
/// 8. Warm tier: pause when enabled and no load was seen for <c>pause-duration</c>; the count does
///    not change while paused. A function already paused stays so until load shows up.
/// </remarks>
public static class ScaleDecider
{
    // ceil() of a quotient that should be whole (e.g. 90 / 45) must not round up on float noise.
    private const double Epsilon = 1e-9;

    public static (int Desired, bool Paused, DeciderState Next) Decide(
        ScalingSpec spec, LoadSample load, int readyReplicas, int currentDesired, bool currentPaused, DateTimeOffset now, DeciderState state)
    {
        // 1. Static.
        if (spec.IsStatic)
        {
            return (currentDesired, currentPaused, state);
        }

        // 2. History.
        var value = double.IsFinite(load.Value) && load.Value > 0 ? load.Value : 0;
        var loads = Append(state.Loads, new TimedValue(now, value), now - spec.StableWindow);
        // Someone else (the gateway's scale-from-zero or resume) lifted a function this decider had
        // put at zero or paused: count that as activity, or the next decision would put it back
        // before the call's load shows up in the metrics.
        var woken = (state.LastDesired == 0 && currentDesired > 0) || (state.LastPaused && !currentPaused);
        // A function whose replicas are still starting (none ready, not paused) is not idle: its idle
        // time starts once it can serve, or a slow cold start would be cut short by the zero window.
        var starting = currentDesired > 0 && readyReplicas == 0 && !currentPaused;
        var lastActive = value > 0 || woken || starting ? now : state.LastActive ?? now;

        // 3. Scale to zero after the idle period; a function already at zero stays there until load
        //    shows up (also right after a controller restart, when the history is empty).
        if (spec.Zero && (now - lastActive >= spec.ZeroDuration || (currentDesired == 0 && value == 0)))
        {
            return (0, false, new DeciderState { Loads = loads, PanicSince = null, LastActive = lastActive, LastDesired = 0 });
        }

        // 4. Recommendations of both windows.
        var perReplica = spec.LoadPerReplica;
        var stable = Replicas(Average(loads, now - spec.StableWindow), perReplica);
        var panic = Replicas(Average(loads, now - spec.PanicWindow), perReplica);

        // 5. Panic mode.
        var panicSince = state.PanicSince;
        if (panic / (double)Math.Max(readyReplicas, 1) >= spec.PanicThreshold)
        {
            panicSince = now;
        }
        else if (panicSince is { } since && now - since >= spec.StableWindow)
        {
            panicSince = null;
        }

        var desired = panicSince is not null
            ? Math.Max(Math.Max(panic, stable), currentDesired)
            : stable;

        // 6. Scale-down delay: the highest recommendation within the delay window.
        IReadOnlyList<TimedValue> recommendations = [];
        if (spec.ScaleDownDelay > TimeSpan.Zero)
        {
            recommendations = Append(state.Recommendations, new TimedValue(now, desired), now - spec.ScaleDownDelay);
            foreach (var r in recommendations)
            {
                desired = Math.Max(desired, (int)r.Value);
            }
        }

        // 7. Bounds.
        desired = Math.Clamp(desired, Math.Max(spec.Min, 1), spec.Max);

        // 8. Warm tier: a paused function keeps its count, so resuming brings back what it had.
        var paused = spec.PauseDuration is { } pause && currentDesired > 0
            && (now - lastActive >= pause || (currentPaused && value == 0));
        if (paused)
        {
            desired = currentDesired;
        }

        return (desired, paused, new DeciderState { Loads = loads, Recommendations = recommendations, PanicSince = panicSince, LastActive = lastActive, LastDesired = desired, LastPaused = paused });
    }

    private static int Replicas(double load, double perReplica) =>
        load <= 0 ? 0 : (int)Math.Min(int.MaxValue, Math.Ceiling(load / perReplica - Epsilon));

    private static double Average(IReadOnlyList<TimedValue> values, DateTimeOffset after)
    {
        double sum = 0;
        var count = 0;
        foreach (var v in values)
        {
            if (v.At > after)
            {
                sum += v.Value;
                count++;
            }
        }

        return count == 0 ? 0 : sum / count;
    }

    /// <summary>A copy with <paramref name="added"/> at the end and entries at or before <paramref name="after"/> dropped.</summary>
    private static TimedValue[] Append(IReadOnlyList<TimedValue> values, TimedValue added, DateTimeOffset after)
    {
        var kept = new List<TimedValue>(values.Count + 1);
        foreach (var v in values)
        {
            if (v.At > after)
            {
                kept.Add(v);
            }
        }

        kept.Add(added);
        return [.. kept];
    }
}

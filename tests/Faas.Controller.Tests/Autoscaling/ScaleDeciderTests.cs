using Faas.Controller.Autoscaling;

namespace Faas.Controller.Tests.Autoscaling;

/// <summary>Timelines of the pure decision: one decision every 2 s on a manual clock.</summary>
public sealed class ScaleDeciderTests
{
    // target 50 × proportion 0.9 = 45 load per replica.
    private static readonly ScalingSpec Rps = ScalingSpec.Default;

    [Fact]
    public void Desired_IsCeilOfLoadOverTargetTimesProportion()
    {
        var timeline = new ScaleTimeline(Rps with { PanicThreshold = 10 });

        Assert.Equal(1, timeline.Run(45, TimeSpan.FromSeconds(120)));
        Assert.Equal(3, timeline.Run(100, TimeSpan.FromSeconds(120)));
        Assert.Equal(5, timeline.Run(225, TimeSpan.FromSeconds(120)));
    }

    [Fact]
    public void Cpu_TargetIsMilliCpuPerReplica_BusyReplicasScaleUp_IdleReturnToMin()
    {
        // com.openfaas.scale.type=cpu, target=500: half a core per replica (× 0.9 = 450 m).
        var spec = ScalingSpec.TryParse(
            new Dictionary<string, string> { ["com.openfaas.scale.type"] = "cpu", ["com.openfaas.scale.target"] = "500", ["com.openfaas.scale.max"] = "3" },
            out var error);
        Assert.Null(error);
        var timeline = new ScaleTimeline(spec! with { PanicThreshold = 10 });

        // One replica spinning a core: 1000 m -> ceil(1000 / 450) = 3.
        Assert.Equal(3, timeline.Run(1000, TimeSpan.FromSeconds(120)));

        // Two cores busy would need 5, but max is 3.
        Assert.Equal(3, timeline.Run(2000, TimeSpan.FromSeconds(120)));

        // Idle (a few millicores of runtime noise): back to min.
        Assert.Equal(1, timeline.Run(5, TimeSpan.FromSeconds(120)));
    }

    [Fact]
    public void RampUp_FollowsTheStableAverage_StepByStep()
    {
        var timeline = new ScaleTimeline(Rps with { PanicThreshold = 10 });

        for (var load = 0; load <= 450; load += 45)
        {
            timeline.Run(load, TimeSpan.FromSeconds(10));
        }

        // The stable average lags the ramp, so the count climbs monotonically and reaches 10 once
        // the window holds only the top load.
        Assert.Equal(timeline.History.Order().ToList(), timeline.History);
        Assert.Equal(10, timeline.Run(450, TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public void PanicBurst_ScalesUpWithinThePanicWindow_AndNeverDownWhilePanicking()
    {
        var timeline = new ScaleTimeline(Rps);
        timeline.Run(40, TimeSpan.FromSeconds(120));
        Assert.Equal(1, timeline.Desired);

        // 10x burst: the 60 s average barely moves, the 6 s window sees it at once.
        var afterBurst = timeline.Run(450, TimeSpan.FromSeconds(6));
        Assert.True(timeline.State.Panicking);
        Assert.Equal(10, afterBurst);

        // The burst ends: still panicking for one stable window, so no scale-down.
        timeline.Run(0, TimeSpan.FromSeconds(50));
        Assert.True(timeline.State.Panicking);
        Assert.Equal(10, timeline.Desired);

        // Panic over: back to the stable recommendation (the floor, with no load).
        Assert.Equal(1, timeline.Run(0, TimeSpan.FromSeconds(80)));
        Assert.False(timeline.State.Panicking);
    }

    [Fact]
    public void ScaleDown_WaitsForTheDelay_ThenGoesToTheHighestRecommendationInIt()
    {
        var timeline = new ScaleTimeline(Rps with { ScaleDownDelay = TimeSpan.FromSeconds(30), PanicThreshold = 10, StableWindow = TimeSpan.FromSeconds(6) });
        Assert.Equal(4, timeline.Run(180, TimeSpan.FromSeconds(30)));

        // Load drops to 2 replicas' worth: held at 4 for the 30 s delay.
        timeline.Run(90, TimeSpan.FromSeconds(26));
        Assert.Equal(4, timeline.Desired);

        Assert.Equal(2, timeline.Run(90, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void ScaleDown_WithoutDelay_FollowsTheStableAverageDown()
    {
        var timeline = new ScaleTimeline(Rps with { PanicThreshold = 10 });
        Assert.Equal(4, timeline.Run(180, TimeSpan.FromSeconds(120)));

        timeline.Run(45, TimeSpan.FromSeconds(20));
        Assert.True(timeline.Desired is > 1 and < 4, $"after 20 s of lower load the 60 s average is in between, got {timeline.Desired}");
        Assert.Equal(1, timeline.Run(45, TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public void Clamps_ToMinAndMax()
    {
        var spec = ScalingSpec.TryParse(new Dictionary<string, string> { [ScalingSpec.MinLabel] = "2", [ScalingSpec.MaxLabel] = "4" }, out _)!;
        var timeline = new ScaleTimeline(spec, initialReplicas: 2);

        Assert.Equal(2, timeline.Run(0, TimeSpan.FromSeconds(120)));
        Assert.Equal(4, timeline.Run(10_000, TimeSpan.FromSeconds(120)));
    }

    [Fact]
    public void MinEqualsMax_IsStatic_AndLeavesTheCountAlone()
    {
        var spec = Rps with { Min = 3, Max = 3 };
        var (desired, _, state) = ScaleDecider.Decide(spec, new LoadSample(10_000), 5, 5, false, DateTimeOffset.UnixEpoch, DeciderState.Empty);

        Assert.Equal(5, desired);
        Assert.Same(DeciderState.Empty, state);
    }

    [Fact]
    public void Zero_AfterZeroDurationWithoutLoad_OnlyWhenEnabled()
    {
        var zero = new ScaleTimeline(Rps with { Zero = true, ZeroDuration = TimeSpan.FromMinutes(1) });
        var noZero = new ScaleTimeline(Rps with { ZeroDuration = TimeSpan.FromMinutes(1) });
        zero.Run(20, TimeSpan.FromSeconds(10));
        noZero.Run(20, TimeSpan.FromSeconds(10));

        zero.Run(0, TimeSpan.FromSeconds(58));
        Assert.Equal(1, zero.Desired);
        Assert.Equal(0, zero.Run(0, TimeSpan.FromSeconds(4)));
        Assert.Equal(1, noZero.Run(0, TimeSpan.FromMinutes(5)));

        // Stays at zero while idle; load brings it back.
        Assert.Equal(0, zero.Run(0, TimeSpan.FromMinutes(5)));
        Assert.Equal(1, zero.Step(20));
    }

    [Fact]
    public void Zero_ScaledFromZeroByTheGateway_IsNotPutBackBeforeTheLoadShows()
    {
        var timeline = new ScaleTimeline(Rps with { Zero = true, ZeroDuration = TimeSpan.FromMinutes(1) });
        Assert.Equal(0, timeline.Run(0, TimeSpan.FromMinutes(2)));

        // The gateway pokes the function to 1; the metrics still show no load for a while.
        timeline.Ready = 0;
        timeline.SetDesired(1);
        Assert.Equal(1, timeline.Run(0, TimeSpan.FromSeconds(30)));
        Assert.Equal(0, timeline.Run(0, TimeSpan.FromSeconds(40)));
    }

    [Fact]
    public void Zero_ASlowColdStart_IsNotCutShortByTheZeroWindow()
    {
        var timeline = new ScaleTimeline(Rps with { Zero = true, ZeroDuration = TimeSpan.FromSeconds(10) }) { ReadyFollowsDesired = false, Ready = 0 };

        // Deployed, its replica still starting for three zero windows: it stays at 1.
        Assert.Equal(1, timeline.Run(0, TimeSpan.FromSeconds(30)));

        // Ready now; the idle time counts from here.
        timeline.Ready = 1;
        Assert.Equal(1, timeline.Run(0, TimeSpan.FromSeconds(8)));
        Assert.Equal(0, timeline.Run(0, TimeSpan.FromSeconds(4)));
    }

    [Fact]
    public void Zero_FunctionAlreadyAtZero_StaysThereAfterARestart()
    {
        var spec = Rps with { Zero = true };
        var (desired, _, _) = ScaleDecider.Decide(spec, new LoadSample(0), 0, 0, false, DateTimeOffset.UnixEpoch, DeciderState.Empty);

        Assert.Equal(0, desired);
    }

    [Fact]
    public void NoisyLoad_WithinALevel_DoesNotFlap()
    {
        var timeline = new ScaleTimeline(Rps);
        timeline.Run(112, TimeSpan.FromSeconds(120));
        Assert.Equal(3, timeline.Desired);
        timeline.History.Clear();

        var random = new Random(42);
        for (var i = 0; i < 300; i++)
        {
            // 2.5 replicas' worth ±15%: single samples cross both boundaries (90 and 135), the average does not.
            timeline.Step(112.5 * (0.85 + (random.NextDouble() * 0.3)));
        }

        Assert.All(timeline.History, d => Assert.Equal(3, d));
    }

    [Fact]
    public void NoisyLoad_AtABoundary_HoldsEachScaleUpForTheScaleDownDelay()
    {
        var timeline = new ScaleTimeline(Rps with { ScaleDownDelay = TimeSpan.FromSeconds(30) });
        timeline.Run(120, TimeSpan.FromSeconds(120));
        timeline.History.Clear();

        var random = new Random(7);
        for (var i = 0; i < 300; i++)
        {
            // Centred on 135, the 3/4 replica boundary.
            timeline.Step(120 + (random.NextDouble() * 30));
        }

        // The windowed average drifts across the boundary now and then, but a scale-up is held
        // for at least the delay (15 ticks of 2 s): no tick-to-tick flapping.
        var runs = new List<(int Value, int Length)>();
        foreach (var d in timeline.History)
        {
            if (runs.Count > 0 && runs[^1].Value == d)
            {
                runs[^1] = (d, runs[^1].Length + 1);
            }
            else
            {
                runs.Add((d, 1));
            }
        }

        Assert.All(runs.Skip(1).SkipLast(1).Where(r => r.Value == 4), r => Assert.True(r.Length >= 15, $"4 held for only {r.Length} ticks"));
        Assert.True(runs.Count <= 12, $"{runs.Count} runs in 10 minutes: {string.Join(",", runs)}");
    }

    [Fact]
    public void Panic_IsMeasuredAgainstReadyReplicas()
    {
        var timeline = new ScaleTimeline(Rps) { ReadyFollowsDesired = false, Ready = 4 };
        timeline.Run(180, TimeSpan.FromSeconds(120));

        // 4 ready replicas, a burst to 6 replicas' worth: 1.5x < 2x threshold, no panic.
        timeline.Run(270, TimeSpan.FromSeconds(6));
        Assert.False(timeline.State.Panicking);
    }

    [Fact]
    public void WarmTier_PausesAfterPauseDuration_ThenGoesToZeroAfterZeroDuration()
    {
        var timeline = new ScaleTimeline(Rps with { Zero = true, ZeroDuration = TimeSpan.FromMinutes(2), PauseDuration = TimeSpan.FromSeconds(30) });
        timeline.Run(20, TimeSpan.FromSeconds(10));
        Assert.False(timeline.Paused);

        // Idle: running until the warm window has passed, then paused with its replica kept.
        timeline.Run(0, TimeSpan.FromSeconds(28));
        Assert.False(timeline.Paused);
        timeline.Run(0, TimeSpan.FromSeconds(4));
        Assert.True(timeline.Paused);
        Assert.Equal(1, timeline.Desired);

        // Still idle: paused until the zero window, then zero (no longer paused: nothing to pause).
        timeline.Run(0, TimeSpan.FromSeconds(80));
        Assert.True(timeline.Paused);
        Assert.Equal(1, timeline.Desired);
        Assert.Equal(0, timeline.Run(0, TimeSpan.FromSeconds(10)));
        Assert.False(timeline.Paused);
    }

    [Fact]
    public void WarmTier_WithoutZero_StaysPausedWhileIdle_AndLoadResumesIt()
    {
        var timeline = new ScaleTimeline(Rps with { PauseDuration = TimeSpan.FromSeconds(10) });
        timeline.Run(0, TimeSpan.FromMinutes(30));
        Assert.True(timeline.Paused);
        Assert.Equal(1, timeline.Desired);

        timeline.Step(20);
        Assert.False(timeline.Paused);
    }

    [Fact]
    public void WarmTier_KeepsTheCountWhilePaused()
    {
        // A short warm window pauses before the stable window has brought the count down.
        var timeline = new ScaleTimeline(Rps with { PauseDuration = TimeSpan.FromSeconds(10), PanicThreshold = 10 });
        Assert.Equal(3, timeline.Run(120, TimeSpan.FromSeconds(120)));

        timeline.Run(0, TimeSpan.FromSeconds(12));
        Assert.True(timeline.Paused);
        Assert.Equal(3, timeline.Run(0, TimeSpan.FromMinutes(2)));
        Assert.All(timeline.History.TakeLast(60), d => Assert.Equal(3, d));
    }

    [Fact]
    public void WarmTier_ResumedByTheGateway_IsNotPausedAgainBeforeTheWindow()
    {
        var timeline = new ScaleTimeline(Rps with { PauseDuration = TimeSpan.FromSeconds(20) });
        timeline.Run(0, TimeSpan.FromSeconds(30));
        Assert.True(timeline.Paused);

        // The gateway resumes it for a call; the metrics show no load yet.
        timeline.Resume();
        timeline.Run(0, TimeSpan.FromSeconds(16));
        Assert.False(timeline.Paused);
        Assert.All(timeline.PausedHistory.TakeLast(8), p => Assert.False(p));

        timeline.Run(0, TimeSpan.FromSeconds(6));
        Assert.True(timeline.Paused);
    }

    [Fact]
    public void WarmTier_FunctionAlreadyPaused_StaysPausedAfterARestart()
    {
        var spec = Rps with { PauseDuration = TimeSpan.FromMinutes(5) };

        var (desired, paused, _) = ScaleDecider.Decide(spec, new LoadSample(0), 0, 2, true, DateTimeOffset.UnixEpoch, DeciderState.Empty);
        var (_, resumed, _) = ScaleDecider.Decide(spec, new LoadSample(3), 0, 2, true, DateTimeOffset.UnixEpoch, DeciderState.Empty);

        Assert.Equal((2, true), (desired, paused));
        Assert.False(resumed);
    }

    [Fact]
    public void WarmTier_Off_NeverPauses()
    {
        var timeline = new ScaleTimeline(Rps with { Zero = true, ZeroDuration = TimeSpan.FromMinutes(1) });
        timeline.Run(0, TimeSpan.FromMinutes(5));

        Assert.DoesNotContain(true, timeline.PausedHistory);
    }
}

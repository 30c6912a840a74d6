namespace Faas.Controller.Backends.Process;

/// <summary>The per-replica readiness and health monitor.</summary>
internal sealed partial class FunctionSupervisor
{
    private static readonly TimeSpan PushedRetry = TimeSpan.FromMilliseconds(5);

    private void StartMonitor(Replica replica) =>
        replica.Monitor = Task.Run(() => MonitorAsync(replica, replica.MonitorStop.Token));

    /// <summary>
    /// Polls readiness (fast while starting, slower once ready) and watches the process: an exit,
    /// <see cref="ProcessBackendTimings.HealthFailureThreshold"/> failed checks in a row, or no
    /// readiness within <c>replica_startup_timeout</c> mark the replica failed.
    /// </summary>
    private async Task MonitorAsync(Replica replica, CancellationToken cancellationToken)
    {
        var timings = _owner.Timings;
        var time = _owner.Time;
        var failures = 0;
        var pushed = false;
        var exited = WaitForExitQuietlyAsync(replica.Process, cancellationToken);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (replica.Process.HasExited || exited.IsCompletedSuccessfully)
                {
                    MarkFailed(replica, "the process exited");
                    return;
                }

                if (IsPausedOrPausing(replica))
                {
                    await Task.WhenAny(exited, Task.Delay(timings.ReadyPollInterval, time, cancellationToken));
                    continue;
                }

                var result = await _owner.Probe.ProbeAsync(replica.Url, cancellationToken);
                ReplicaState state;
                lock (_sync)
                {
                    state = replica.State;
                }

                if (state is ReplicaState.Pausing or ReplicaState.Paused)
                {
                    // A stopped process cannot answer; only its exit is watched until it resumes.
                    failures = 0;
                    await Task.WhenAny(exited, Task.Delay(timings.ReadyPollInterval, time, cancellationToken));
                    continue;
                }

                if (state is not (ReplicaState.Starting or ReplicaState.Ready))
                {
                    return;
                }

                if (result != ProbeResult.NotReady)
                {
                    failures = 0;
                    if (state == ReplicaState.Starting)
                    {
                        MarkReady(replica);
                        state = ReplicaState.Ready;
                    }
                }
                else if (replica.Process.HasExited)
                {
                    continue;
                }
                else if (state == ReplicaState.Ready)
                {
                    if (++failures >= timings.HealthFailureThreshold)
                    {
                        MarkFailed(replica, $"the health check failed {failures} times in a row");
                        return;
                    }
                }
                else if (time.GetUtcNow() - replica.WatchSince >= _owner.Options.ReplicaStartupTimeout)
                {
                    MarkFailed(replica, $"not ready within replica_startup_timeout ({_owner.Options.ReplicaStartupTimeout})");
                    return;
                }

                if (state == ReplicaState.Ready)
                {
                    await Task.WhenAny(exited, Task.Delay(timings.ReadyPollInterval, time, cancellationToken));
                }
                else
                {
                    // Starting: the watchdog's ready file wakes us at once; the poll is the fallback.
                    // The watchdog writes the file just before it turns ready, so a probe right
                    // after a signal may still see 503: then look again soon, not a full poll later.
                    var signaled = _owner.Ready.WhenSignaled(replica.Id);
                    var poll = pushed ? PushedRetry : timings.StartingPollInterval;
                    await Task.WhenAny(exited, signaled, Task.Delay(poll, time, cancellationToken));
                    pushed = signaled.IsCompleted;
                    _owner.Ready.Reset(replica.Id);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped on purpose.
        }
    }

    private bool IsPausedOrPausing(Replica replica)
    {
        lock (_sync)
        {
            return replica.State is ReplicaState.Pausing or ReplicaState.Paused;
        }
    }

    /// <summary>Completes on exit or cancellation only: a process that cannot be waited for is left to the polls.</summary>
    private static async Task WaitForExitQuietlyAsync(IReplicaProcess process, CancellationToken cancellationToken)
    {
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }

    private void MarkReady(Replica replica)
    {
        lock (_sync)
        {
            if (replica.State != ReplicaState.Starting)
            {
                return;
            }

            Transition(replica, ReplicaState.Ready);
            if (replica.Generation == _generation)
            {
                _failures = 0;
            }
        }

        _owner.PublishEndpoints();
        _owner.Kick();
    }

    private void MarkFailed(Replica replica, string reason)
    {
        bool wasReady;
        lock (_sync)
        {
            if (replica.State is not (ReplicaState.Starting or ReplicaState.Ready or ReplicaState.Pausing or ReplicaState.Paused))
            {
                return;
            }

            wasReady = replica.State != ReplicaState.Starting;
            replica.FailureReason = reason;
            Transition(replica, ReplicaState.Failed);
        }

        ProcessBackendLog.ReplicaFailed(Logger, replica.Id, Qualified, reason);
        if (wasReady)
        {
            _owner.PublishEndpoints();
        }

        _owner.Kick();
    }
}

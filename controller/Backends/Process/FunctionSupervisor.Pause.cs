namespace Faas.Controller.Backends.Process;

/// <summary>The warm tier: pausing a function's replicas with SIGSTOP and resuming them with SIGCONT.</summary>
internal sealed partial class FunctionSupervisor
{
    /// <summary>The function is paused or being paused (shown to gateways as <c>paused</c>).</summary>
    private bool _paused;

    public bool IsPaused
    {
        get
        {
            lock (_sync)
            {
                return _paused;
            }
        }
    }

    /// <summary>
    /// Pauses every ready replica; false (nothing paused) when the function is mid-change or a call
    /// is still in flight.
    /// </summary>
    /// <remarks>
    /// 1. Under the gate: only a settled function (all replicas ready, one generation) is paused;
    ///    its replicas go Ready -> Pausing, off the endpoint table, and the table is published.
    /// 2. Without the gate: wait <see cref="ProcessBackendTimings.PauseGrace"/> so gateways stop
    ///    routing; a resume may come in meanwhile and wins.
    /// 3. Under the gate again: a replica that still serves a call (or cannot tell) cancels the
    ///    pause; else SIGSTOP each, Pausing -> Paused.
    /// </remarks>
    public async Task<bool> PauseAsync(CancellationToken cancellationToken = default)
    {
        // 1.
        List<Replica> pausing;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            lock (_sync)
            {
                if (_retired || _paused)
                {
                    return _paused;
                }

                pausing = _replicas.Where(r => r.State == ReplicaState.Ready).ToList();
                if (pausing.Count == 0 || pausing.Count != _replicas.Count || _replicas.Any(r => r.Generation != _generation))
                {
                    return false;
                }

                _paused = true;
                foreach (var replica in pausing)
                {
                    Transition(replica, ReplicaState.Pausing);
                }
            }

            _owner.PublishEndpoints();
        }
        finally
        {
            _gate.Release();
        }

        // 2.
        try
        {
            await Task.Delay(_owner.Timings.PauseGrace, _owner.Time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await CancelPauseAsync();
            throw;
        }

        // 3.
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            lock (_sync)
            {
                pausing = _replicas.Where(r => r.State == ReplicaState.Pausing).ToList();
            }

            if (pausing.Count == 0)
            {
                return false;
            }

            foreach (var replica in pausing)
            {
                var inFlight = await _owner.Probe.InFlightAsync(replica.Url, CancellationToken.None);
                if (inFlight is not 0)
                {
                    ProcessBackendLog.PauseCanceled(Logger, Qualified, replica.Id, inFlight?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown");
                    ResumeLocked();
                    return false;
                }
            }

            lock (_sync)
            {
                foreach (var replica in pausing)
                {
                    if (replica.State == ReplicaState.Pausing && replica.Process.Pause())
                    {
                        Transition(replica, ReplicaState.Paused);
                    }
                }
            }

            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task ResumeAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ResumeLocked();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task CancelPauseAsync()
    {
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            ResumeLocked();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Paused and pausing replicas go straight back to Ready and into the endpoint table: a resumed
    /// process was ready when it was stopped, so there is no probe to wait for. Call with the gate held.
    /// </summary>
    private void ResumeLocked()
    {
        lock (_sync)
        {
            if (!_paused)
            {
                return;
            }

            _paused = false;
            foreach (var replica in _replicas)
            {
                if (replica.State == ReplicaState.Paused)
                {
                    replica.Process.Resume();
                    Transition(replica, ReplicaState.Ready);
                }
                else if (replica.State == ReplicaState.Pausing)
                {
                    Transition(replica, ReplicaState.Ready);
                }
            }
        }

        _owner.PublishEndpoints();
    }
}

using Faas.Watchdog.Logging;

namespace Faas.Watchdog.Serving;

internal enum ReplicaState
{
    /// <summary>Handler loaded, initializer running: health 200, ready 503.</summary>
    Starting,

    /// <summary>Serving: health and ready 200.</summary>
    Ready,

    /// <summary>Shutdown requested: health and ready 503 while in-flight calls finish.</summary>
    Draining,

    /// <summary>The initializer failed: the replica is stopping with a non-zero exit code.</summary>
    Failed,
}

/// <summary>The replica's lifecycle state, read by the probes on every call (lock-free).</summary>
internal sealed class ReplicaStatus
{
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state = (int)ReplicaState.Starting;

    public ReplicaStatus(ILogger<ReplicaStatus> logger) => _logger = logger;

    public ReplicaState State => (ReplicaState)Volatile.Read(ref _state);

    /// <summary>Completes when the replica turns ready; faults when it fails or drains before.</summary>
    public Task WhenReady => _ready.Task;

    /// <summary>Moves <paramref name="from"/> -> <paramref name="to"/> if the state is still <paramref name="from"/>.</summary>
    public bool TryMove(ReplicaState from, ReplicaState to)
    {
        if (Interlocked.CompareExchange(ref _state, (int)to, (int)from) != (int)from)
        {
            return false;
        }

        _logger.StateChanged(from, to);
        if (to == ReplicaState.Ready)
        {
            _ready.TrySetResult();
        }
        else
        {
            _ready.TrySetException(new InvalidOperationException($"the replica went {from} -> {to} before it was ready"));
            _ = _ready.Task.Exception; // observed: nobody has to wait for readiness
        }

        return true;
    }

    /// <summary>Starts draining from whatever live state the replica is in.</summary>
    public void BeginDraining()
    {
        if (!TryMove(ReplicaState.Ready, ReplicaState.Draining))
        {
            TryMove(ReplicaState.Starting, ReplicaState.Draining);
        }
    }
}

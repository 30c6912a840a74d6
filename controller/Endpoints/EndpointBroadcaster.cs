using Faas.Contracts.Endpoints;

namespace Faas.Controller.Endpoints;

/// <summary>The current endpoint table and a way to wait for the next change.</summary>
public interface IEndpointSource
{
    EndpointSnapshot Current { get; }

    /// <summary>Completes once <see cref="Current"/> has a version above <paramref name="afterVersion"/>.</summary>
    Task WaitForChangeAsync(long afterVersion, CancellationToken cancellationToken = default);
}

/// <summary>
/// Holds the latest <see cref="EndpointSnapshot"/>. Publishing swaps in a new snapshot and completes
/// the pending change signal, so the backend never waits for subscribers: a slow subscriber simply
/// reads the newest snapshot when it gets round to it (whole snapshots make skipped ones harmless).
/// </summary>
public sealed class EndpointBroadcaster : IEndpointSource
{
    private readonly Lock _sync = new();
    private EndpointSnapshot _current = new() { Version = 0 };
    private TaskCompletionSource _changed = NewSignal();

    public EndpointSnapshot Current
    {
        get
        {
            lock (_sync)
            {
                return _current;
            }
        }
    }

    /// <summary>Publishes <paramref name="functions"/>; a table equal to the current one is not a change.</summary>
    /// <returns>True when the version moved.</returns>
    public bool Publish(List<FunctionEndpoints> functions)
    {
        TaskCompletionSource signal;
        lock (_sync)
        {
            if (SameTable(_current.Functions, functions))
            {
                return false;
            }

            _current = new EndpointSnapshot { Version = _current.Version + 1, Functions = functions };
            signal = _changed;
            _changed = NewSignal();
        }

        signal.TrySetResult();
        return true;
    }

    public Task WaitForChangeAsync(long afterVersion, CancellationToken cancellationToken = default)
    {
        Task pending;
        lock (_sync)
        {
            if (_current.Version > afterVersion)
            {
                return Task.CompletedTask;
            }

            pending = _changed.Task;
        }

        return pending.WaitAsync(cancellationToken);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static bool SameTable(List<FunctionEndpoints> a, List<FunctionEndpoints> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            var x = a[i];
            var y = b[i];
            if (x.Name != y.Name || x.Namespace != y.Namespace || x.Replicas != y.Replicas || x.Endpoints.Count != y.Endpoints.Count)
            {
                return false;
            }

            for (var j = 0; j < x.Endpoints.Count; j++)
            {
                if (x.Endpoints[j] != y.Endpoints[j])
                {
                    return false;
                }
            }
        }

        return true;
    }
}

namespace Faas.Gateway.Endpoints;

/// <summary>Routing-table key: a function is identified by its name and namespace.</summary>
public readonly record struct FunctionKey(string Name, string Namespace)
{
    public override string ToString() => $"{Name}.{Namespace}";
}

/// <summary>
/// One ready replica. The in-flight counter lives here and the object is carried over from one
/// routing table to the next while the replica stays ready, so swaps keep the counts.
/// </summary>
public sealed class Replica(string id, string destinationPrefix)
{
    private int _inFlight;

    public string Id { get; } = id;

    /// <summary>Base URL for the forwarder, without a trailing slash (precomputed once).</summary>
    public string DestinationPrefix { get; } = destinationPrefix;

    public int InFlight => Volatile.Read(ref _inFlight);

    public void Acquire() => Interlocked.Increment(ref _inFlight);

    public void Release() => Interlocked.Decrement(ref _inFlight);
}

/// <summary>A function as the routing table knows it: desired replicas, the ready ones, and whether they are paused.</summary>
public sealed class FunctionRoute(FunctionKey key, int desiredReplicas, Replica[] ready, bool paused = false)
{
    private uint _cursor;

    public FunctionKey Key { get; } = key;

    /// <summary><c>name.namespace</c>, precomputed for messages and logs.</summary>
    public string Qualified { get; } = key.ToString();

    public int DesiredReplicas { get; } = desiredReplicas;

    public Replica[] Ready { get; } = ready;

    /// <summary>The replicas are paused (the warm tier): a call asks the controller to resume them.</summary>
    public bool Paused { get; } = paused;

    public bool HasReady => Ready.Length > 0;

    /// <summary>
    /// The ready replica with the fewest in-flight requests, or null when none is ready. The scan
    /// starts at a rotating index so ties go round-robin.
    /// </summary>
    public Replica? PickLeastInFlight() => PickLeastInFlight(Ready, Interlocked.Increment(ref _cursor));

    /// <summary>Deterministic core of <see cref="PickLeastInFlight()"/>: ties go to the first replica at or after <paramref name="start"/>.</summary>
    public static Replica? PickLeastInFlight(Replica[] replicas, uint start)
    {
        var count = replicas.Length;
        if (count == 0)
        {
            return null;
        }

        var first = (int)(start % (uint)count);
        var best = replicas[first];
        var bestLoad = best.InFlight;
        for (var i = 1; i < count && bestLoad > 0; i++)
        {
            var candidate = replicas[(first + i) % count];
            var load = candidate.InFlight;
            if (load < bestLoad)
            {
                best = candidate;
                bestLoad = load;
            }
        }

        return best;
    }
}

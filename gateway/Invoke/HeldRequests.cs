using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Faas.Gateway.Configuration;
using Faas.Gateway.Endpoints;

namespace Faas.Gateway.Invoke;

/// <summary>
/// Bounds the calls held per function while it has no ready replica
/// (<c>max_held_requests_per_function</c>): a call that does not fit is answered 503 at once
/// instead of piling up behind a cold start.
/// </summary>
/// <remarks>
/// One counter per function that ever had a call held (only functions the controller knows reach
/// holding), so the map stays as small as the function list.
/// </remarks>
public sealed class HeldRequests(GatewayOptions options)
{
    private readonly ConcurrentDictionary<FunctionKey, StrongBox<int>> _held = new();

    public int Limit => options.MaxHeldRequestsPerFunction;

    /// <summary>Calls held for <paramref name="key"/> right now.</summary>
    public int Count(FunctionKey key) => _held.TryGetValue(key, out var counter) ? Volatile.Read(ref counter.Value) : 0;

    /// <summary>Takes a place in the function's queue; false when it is full. Pair a true with <see cref="Exit"/>.</summary>
    public bool TryEnter(FunctionKey key)
    {
        var counter = _held.GetOrAdd(key, static _ => new StrongBox<int>());
        if (Interlocked.Increment(ref counter.Value) <= Limit)
        {
            return true;
        }

        Interlocked.Decrement(ref counter.Value);
        return false;
    }

    public void Exit(FunctionKey key)
    {
        if (_held.TryGetValue(key, out var counter))
        {
            Interlocked.Decrement(ref counter.Value);
        }
    }
}

namespace Faas.Watchdog.Serving;

/// <summary>Counts in-flight calls and enforces <c>max_inflight</c> without locks.</summary>
internal sealed class ConcurrencyLimiter(int maxInflight)
{
    private int _inFlight;

    /// <summary>0 means no limit.</summary>
    public int MaxInflight => maxInflight;

    public int InFlight => Volatile.Read(ref _inFlight);

    public bool IsSaturated => maxInflight > 0 && InFlight >= maxInflight;

    public bool TryEnter()
    {
        var now = Interlocked.Increment(ref _inFlight);
        if (maxInflight > 0 && now > maxInflight)
        {
            Interlocked.Decrement(ref _inFlight);
            return false;
        }

        return true;
    }

    public void Exit() => Interlocked.Decrement(ref _inFlight);
}

namespace Faas.Gateway.Endpoints;

/// <summary>Exponential reconnect delay with ±20% jitter, doubling from <c>initial</c> up to <c>max</c>.</summary>
public sealed class Backoff(TimeSpan initial, TimeSpan max, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;
    private int _attempt;

    public TimeSpan Next()
    {
        var exponent = Math.Min(_attempt++, 30);
        var baseTicks = Math.Min(max.Ticks, initial.Ticks * (1L << exponent));
        var jitter = 0.8 + (_random.NextDouble() * 0.4);
        return TimeSpan.FromTicks(Math.Min(max.Ticks, (long)(baseTicks * jitter)));
    }

    public void Reset() => _attempt = 0;
}

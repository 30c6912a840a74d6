using System.Collections.Concurrent;
using Faas.Gateway.Configuration;
using Faas.Gateway.Endpoints;
using Faas.Gateway.Provider;

namespace Faas.Gateway.Invoke;

/// <summary>
/// Pokes the controller when a call arrives for a function scaled to zero (asks for one replica)
/// or paused in the warm tier (asks for the count it has, which resumes it), once (single flight)
/// for all the calls held for that function. The gateway only pokes; how many
/// replicas the function should really have stays the autoscaler's decision. Held calls then wait
/// for the endpoint stream to show the new replica.
/// </summary>
/// <remarks>
/// The ask is settled (a later call at zero may ask again) when a held call sees a ready replica,
/// when the ask fails, or when it is older than the hold window (<c>ready_wait_timeout</c>, at
/// least <see cref="MinRetry"/>), so a lost ask cannot leave the function at zero for good.
/// </remarks>
public sealed partial class ScaleFromZero(ProviderClient provider, GatewayOptions options, TimeProvider time, ILogger<ScaleFromZero> logger)
{
    public static readonly TimeSpan MinRetry = TimeSpan.FromSeconds(2);
    private const int MaxRemembered = 10_000;

    private readonly TimeSpan _retryAfter = options.ReadyWaitTimeout > MinRetry ? options.ReadyWaitTimeout : MinRetry;
    private readonly ConcurrentDictionary<FunctionKey, long> _asked = new();

    /// <summary>Asks for <paramref name="replicas"/> in the background unless an ask is already out.</summary>
    public void Poke(FunctionKey key, int replicas = 1)
    {
        var now = time.GetTimestamp();
        if (_asked.Count >= MaxRemembered)
        {
            _asked.Clear();
        }

        // Compare-and-swap so that of several racing callers exactly one asks.
        while (true)
        {
            if (_asked.TryGetValue(key, out var last))
            {
                if (time.GetElapsedTime(last, now) < _retryAfter)
                {
                    return;
                }

                if (_asked.TryUpdate(key, now, last))
                {
                    break;
                }
            }
            else if (_asked.TryAdd(key, now))
            {
                break;
            }
        }

        _ = PokeAsync(key, Math.Max(replicas, 1), now);
    }

    /// <summary>A held call saw a ready replica: the next time the function is at zero, ask again.</summary>
    public void Settle(FunctionKey key) => _asked.TryRemove(key, out _);

    private async Task PokeAsync(FunctionKey key, int replicas, long asked)
    {
        LogScalingUp(logger, key.ToString(), replicas);
        var result = await provider.ScaleAsync(key.Name, key.Namespace, (ulong)replicas).ConfigureAwait(false);
        if (!result.Value)
        {
            LogScaleFailed(logger, key.ToString(), result.Error ?? "");
            _asked.TryRemove(new KeyValuePair<FunctionKey, long>(key, asked));
        }
    }

    [LoggerMessage(EventId = 220, Level = LogLevel.Information, Message = "Waking {Function} ({Replicas} replica(s)) for a waiting call")]
    private static partial void LogScalingUp(ILogger logger, string function, int replicas);

    [LoggerMessage(EventId = 221, Level = LogLevel.Warning, Message = "Waking {Function} failed: {Error}")]
    private static partial void LogScaleFailed(ILogger logger, string function, string error);
}

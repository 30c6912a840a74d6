using System.Collections.Concurrent;
using Faas.Gateway.Endpoints;
using Faas.Gateway.Provider;

namespace Faas.Gateway.Invoke;

/// <summary>
/// Pokes the controller when a call arrives for a function scaled to zero: asks for one replica,
/// at most once per function per <see cref="Cooldown"/>. The gateway only pokes; how many replicas
/// the function should really have stays the autoscaler's decision. Held calls then wait for the
/// endpoint stream to show the new replica.
/// </summary>
public sealed partial class ScaleFromZero(ProviderClient provider, TimeProvider time, ILogger<ScaleFromZero> logger)
{
    public static readonly TimeSpan Cooldown = TimeSpan.FromSeconds(2);
    private const int MaxRemembered = 10_000;

    private readonly ConcurrentDictionary<FunctionKey, long> _lastPoke = new();

    /// <summary>Starts a scale-up to one replica in the background unless one was asked for recently.</summary>
    public void Poke(FunctionKey key)
    {
        var now = time.GetTimestamp();
        if (_lastPoke.Count >= MaxRemembered)
        {
            _lastPoke.Clear();
        }

        // Compare-and-swap so that of several racing callers exactly one pokes.
        while (true)
        {
            if (_lastPoke.TryGetValue(key, out var last))
            {
                if (time.GetElapsedTime(last, now) < Cooldown)
                {
                    return;
                }

                if (_lastPoke.TryUpdate(key, now, last))
                {
                    break;
                }
            }
            else if (_lastPoke.TryAdd(key, now))
            {
                break;
            }
        }

        _ = PokeAsync(key);
    }

    private async Task PokeAsync(FunctionKey key)
    {
        LogScalingUp(logger, key.ToString());
        var result = await provider.ScaleAsync(key.Name, key.Namespace, 1).ConfigureAwait(false);
        if (!result.Value)
        {
            LogScaleFailed(logger, key.ToString(), result.Error ?? "");
        }
    }

    [LoggerMessage(EventId = 220, Level = LogLevel.Information, Message = "Scaling {Function} from zero to 1 replica for a waiting call")]
    private static partial void LogScalingUp(ILogger logger, string function);

    [LoggerMessage(EventId = 221, Level = LogLevel.Warning, Message = "Scaling {Function} from zero failed: {Error}")]
    private static partial void LogScaleFailed(ILogger logger, string function, string error);
}

using System.Buffers;

namespace Faas.Prometheus;

/// <summary>
/// Holds metric families by name and exports them, in name order, in the text exposition format.
/// Create metrics through <see cref="Metrics.WithCustomRegistry"/>.
/// </summary>
public sealed class CollectorRegistry
{
    private readonly Lock _registrationLock = new();
    private readonly Dictionary<string, Collector> _collectors = new(StringComparer.Ordinal);

    // Copy-on-write snapshots, so that exporting never takes the registration lock.
    private Collector[] _sortedCollectors = [];
    private Func<CancellationToken, Task>[] _beforeCollect = [];

    // One collection at a time: callbacks that reset and refill a family must not interleave with
    // another scrape's export.
    private readonly SemaphoreSlim _collectGate = new(1, 1);

    /// <summary>The registered families, ordered by name.</summary>
    public IReadOnlyList<Collector> Collectors => Volatile.Read(ref _sortedCollectors);

    /// <summary>Runs <paramref name="callback"/> before every export, to refresh metrics kept elsewhere.</summary>
    public void AddBeforeCollectCallback(Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        AddBeforeCollectCallback(_ =>
        {
            callback();
            return Task.CompletedTask;
        });
    }

    /// <summary>Runs <paramref name="callback"/> (and awaits it) before every export.</summary>
    public void AddBeforeCollectCallback(Func<CancellationToken, Task> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        lock (_registrationLock)
        {
            _beforeCollect = [.. _beforeCollect, callback];
        }
    }

    /// <summary>Runs the before-collect callbacks, then writes every family to <paramref name="destination"/>.</summary>
    public async Task CollectAndExportAsTextAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        await CollectAndExportAsTextAsync(buffer, cancellationToken).ConfigureAwait(false);
        await destination.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the before-collect callbacks, then writes every family to <paramref name="destination"/>.</summary>
    public async Task CollectAndExportAsTextAsync(IBufferWriter<byte> destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        await _collectGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var callback in Volatile.Read(ref _beforeCollect))
            {
                await callback(cancellationToken).ConfigureAwait(false);
            }

            var writer = new TextFormatWriter(destination);
            foreach (var collector in Volatile.Read(ref _sortedCollectors))
            {
                collector.WriteTo(writer);
            }
        }
        finally
        {
            _collectGate.Release();
        }
    }

    /// <summary>
    /// Registers <paramref name="candidate"/>, or returns the family already registered under its
    /// name when the definition (type, label names, buckets) is the same.
    /// </summary>
    internal TCollector GetOrAdd<TCollector>(TCollector candidate)
        where TCollector : Collector
    {
        lock (_registrationLock)
        {
            if (_collectors.TryGetValue(candidate.Name, out var existing))
            {
                if (existing is TCollector same && existing.HasSameDefinition(candidate))
                {
                    return same;
                }

                throw new InvalidOperationException(
                    $"Metric '{candidate.Name}' is already registered as {Describe(existing)}; it cannot be registered again as {Describe(candidate)}.");
            }

            _collectors.Add(candidate.Name, candidate);
            var sorted = _collectors.Values.ToArray();
            Array.Sort(sorted, static (x, y) => string.CompareOrdinal(x.Name, y.Name));
            Volatile.Write(ref _sortedCollectors, sorted);
            return candidate;
        }
    }

    private static string Describe(Collector collector)
    {
        var text = $"a {collector.Type.ToString().ToLowerInvariant()} with labels [{string.Join(", ", collector.LabelNames)}]";
        return collector is Histogram histogram ? $"{text} and buckets [{string.Join(", ", histogram.Buckets)}]" : text;
    }
}

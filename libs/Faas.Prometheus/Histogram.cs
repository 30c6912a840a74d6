using System.Diagnostics;

namespace Faas.Prometheus;

/// <summary>Counts observations into cumulative buckets and tracks their sum and count.</summary>
public interface IHistogram
{
    double Sum { get; }

    long Count { get; }

    void Observe(double value);

    void Observe(double value, long count);
}

/// <summary>A histogram family; without labels it is itself the histogram.</summary>
public sealed class Histogram : Collector<Histogram.Child>, IHistogram
{
    private static readonly double[] DefaultBucketBounds = [.005, .01, .025, .05, .075, .1, .25, .5, .75, 1, 2.5, 5, 7.5, 10];

    private readonly double[] _upperBounds;

    internal Histogram(string name, string help, string[] labelNames, double[] upperBounds)
        : base(name, help, labelNames)
    {
        _upperBounds = upperBounds;
        Buckets = upperBounds.AsReadOnly();
        CreateUnlabelledChild();
    }

    /// <summary>The Go client's defaults, suited to request durations in seconds: .005 … 10.</summary>
    public static double[] DefaultBuckets => (double[])DefaultBucketBounds.Clone();

    public override MetricType Type => MetricType.Histogram;

    /// <summary>The finite bucket upper bounds; the +Inf bucket is implied.</summary>
    public IReadOnlyList<double> Buckets { get; }

    public double Sum => Unlabelled.Sum;

    public long Count => Unlabelled.Count;

    /// <summary><paramref name="count"/> bounds: start, start × factor, start × factor², …</summary>
    public static double[] ExponentialBuckets(double start, double factor, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(start, 0);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(factor, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);

        var buckets = new double[count];
        var next = start;
        for (var i = 0; i < count; i++)
        {
            buckets[i] = next;
            next *= factor;
        }

        return buckets;
    }

    /// <summary><paramref name="count"/> bounds: start, start + width, start + 2 × width, …</summary>
    public static double[] LinearBuckets(double start, double width, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(width, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);

        var buckets = new double[count];
        for (var i = 0; i < count; i++)
        {
            buckets[i] = start + (i * width);
        }

        return buckets;
    }

    public void Observe(double value) => Unlabelled.Observe(value);

    public void Observe(double value, long count) => Unlabelled.Observe(value, count);

    /// <summary>Starts timing; disposing the timer observes the elapsed seconds once.</summary>
    public HistogramTimer NewTimer() => Unlabelled.NewTimer();

    internal static double[] ValidateBuckets(string metricName, double[]? buckets)
    {
        if (buckets is null)
        {
            return DefaultBucketBounds;
        }

        // A trailing +Inf is accepted (prometheus-net allows it) and dropped: it is always implied.
        var length = buckets.Length > 0 && double.IsPositiveInfinity(buckets[^1]) ? buckets.Length - 1 : buckets.Length;
        var bounds = buckets.AsSpan(0, length).ToArray();
        for (var i = 0; i < bounds.Length; i++)
        {
            if (!double.IsFinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1]))
            {
                throw new ArgumentException(
                    $"Buckets of histogram '{metricName}' must be finite and strictly increasing; got [{string.Join(", ", buckets)}].",
                    nameof(buckets));
            }
        }

        return bounds;
    }

    internal override bool HasSameDefinition(Collector other) =>
        base.HasSameDefinition(other) && ((Histogram)other)._upperBounds.AsSpan().SequenceEqual(_upperBounds);

    private protected override Child CreateChild(LabelValues labelValues) => new(_upperBounds);

    private protected override void WriteChild(TextFormatWriter writer, LabelValues labelValues, Child child) =>
        writer.WriteHistogram(Name, LabelNamesArray, labelValues.Values, _upperBounds, child);

    /// <summary>One histogram series: the family's buckets, sum and count for one label-value tuple.</summary>
    public sealed class Child : IHistogram
    {
        private readonly double[] _upperBounds;

        // Per-bucket (not cumulative) counts; the last slot is the +Inf bucket.
        private readonly long[] _bucketCounts;
        private long _sumBits;

        internal Child(double[] upperBounds)
        {
            _upperBounds = upperBounds;
            _bucketCounts = new long[upperBounds.Length + 1];
        }

        public double Sum => AtomicDouble.Read(ref _sumBits);

        public long Count
        {
            get
            {
                long total = 0;
                for (var i = 0; i < _bucketCounts.Length; i++)
                {
                    total += Volatile.Read(ref _bucketCounts[i]);
                }

                return total;
            }
        }

        public void Observe(double value) => Observe(value, 1);

        public void Observe(double value, long count)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(count);
            Interlocked.Add(ref _bucketCounts[BucketIndex(value)], count);
            AtomicDouble.Add(ref _sumBits, value * count);
        }

        /// <summary>Starts timing; disposing the timer observes the elapsed seconds once.</summary>
        public HistogramTimer NewTimer() => new(this, Stopwatch.GetTimestamp());

        /// <summary>Cumulative count of observations less than or equal to each bound, then the total.</summary>
        internal void CopyCumulativeCounts(Span<long> destination)
        {
            long running = 0;
            for (var i = 0; i < _bucketCounts.Length; i++)
            {
                running += Volatile.Read(ref _bucketCounts[i]);
                destination[i] = running;
            }
        }

        internal int BucketCount => _bucketCounts.Length;

        /// <summary>The first bucket whose bound is at least <paramref name="value"/>; NaN goes to +Inf, as in the Go client.</summary>
        private int BucketIndex(double value)
        {
            if (double.IsNaN(value))
            {
                return _upperBounds.Length;
            }

            var index = Array.BinarySearch(_upperBounds, value);
            return index >= 0 ? index : ~index;
        }
    }
}

/// <summary>
/// Times a block of code into a histogram: <c>using (histogram.NewTimer()) { … }</c>.
/// A struct, so timing allocates nothing; dispose it once.
/// </summary>
public readonly struct HistogramTimer : IDisposable
{
    private readonly Histogram.Child _child;
    private readonly long _startTimestamp;

    internal HistogramTimer(Histogram.Child child, long startTimestamp)
    {
        _child = child;
        _startTimestamp = startTimestamp;
    }

    /// <summary>Observes the seconds elapsed since the timer started and returns the duration.</summary>
    public TimeSpan ObserveDuration()
    {
        var elapsed = Stopwatch.GetElapsedTime(_startTimestamp);
        _child?.Observe(elapsed.TotalSeconds);
        return elapsed;
    }

    public void Dispose() => ObserveDuration();
}

namespace Faas.Prometheus;

/// <summary>A value that only goes up (and resets when the process restarts).</summary>
public interface ICounter
{
    double Value { get; }

    void Inc(double increment = 1);

    void IncTo(double targetValue);
}

/// <summary>A counter family; without labels it is itself the counter.</summary>
public sealed class Counter : Collector<Counter.Child>, ICounter
{
    internal Counter(string name, string help, string[] labelNames)
        : base(name, help, labelNames)
    {
        CreateUnlabelledChild();
    }

    public override MetricType Type => MetricType.Counter;

    public double Value => Unlabelled.Value;

    public void Inc(double increment = 1) => Unlabelled.Inc(increment);

    public void IncTo(double targetValue) => Unlabelled.IncTo(targetValue);

    private protected override Child CreateChild(LabelValues labelValues) => new();

    private protected override void WriteChild(TextFormatWriter writer, LabelValues labelValues, Child child) =>
        writer.WriteSample(Name, "", LabelNamesArray, labelValues.Values, child.Value);

    /// <summary>One counter series: the family's value for one label-value tuple.</summary>
    public sealed class Child : ICounter
    {
        private long _bits;

        internal Child()
        {
        }

        public double Value => AtomicDouble.Read(ref _bits);

        /// <exception cref="ArgumentOutOfRangeException">The increment is negative or NaN.</exception>
        public void Inc(double increment = 1)
        {
            if (!(increment >= 0))
            {
                ThrowNegative(increment);
            }

            AtomicDouble.Add(ref _bits, increment);
        }

        /// <summary>Raises the counter to <paramref name="targetValue"/>; no effect if it is already higher.</summary>
        public void IncTo(double targetValue) => AtomicDouble.Max(ref _bits, targetValue);

        private static void ThrowNegative(double increment) =>
            throw new ArgumentOutOfRangeException(nameof(increment), increment, "A counter can only be incremented by a non-negative amount.");
    }
}

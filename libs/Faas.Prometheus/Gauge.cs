namespace Faas.Prometheus;

/// <summary>A value that can go up and down.</summary>
public interface IGauge
{
    double Value { get; }

    void Inc(double increment = 1);

    void Dec(double decrement = 1);

    void Set(double value);

    void IncTo(double targetValue);

    void DecTo(double targetValue);
}

/// <summary>A gauge family; without labels it is itself the gauge.</summary>
public sealed class Gauge : Collector<Gauge.Child>, IGauge
{
    internal Gauge(string name, string help, string[] labelNames)
        : base(name, help, labelNames)
    {
        CreateUnlabelledChild();
    }

    public override MetricType Type => MetricType.Gauge;

    public double Value => Unlabelled.Value;

    public void Inc(double increment = 1) => Unlabelled.Inc(increment);

    public void Dec(double decrement = 1) => Unlabelled.Dec(decrement);

    public void Set(double value) => Unlabelled.Set(value);

    public void IncTo(double targetValue) => Unlabelled.IncTo(targetValue);

    public void DecTo(double targetValue) => Unlabelled.DecTo(targetValue);

    private protected override Child CreateChild(LabelValues labelValues) => new();

    private protected override void WriteChild(TextFormatWriter writer, LabelValues labelValues, Child child) =>
        writer.WriteSample(Name, "", LabelNamesArray, labelValues.Values, child.Value);

    /// <summary>One gauge series: the family's value for one label-value tuple.</summary>
    public sealed class Child : IGauge
    {
        private long _bits;

        internal Child()
        {
        }

        public double Value => AtomicDouble.Read(ref _bits);

        public void Inc(double increment = 1) => AtomicDouble.Add(ref _bits, increment);

        public void Dec(double decrement = 1) => AtomicDouble.Add(ref _bits, -decrement);

        public void Set(double value) => AtomicDouble.Set(ref _bits, value);

        /// <summary>Raises the gauge to <paramref name="targetValue"/>; no effect if it is already higher.</summary>
        public void IncTo(double targetValue) => AtomicDouble.Max(ref _bits, targetValue);

        /// <summary>Lowers the gauge to <paramref name="targetValue"/>; no effect if it is already lower.</summary>
        public void DecTo(double targetValue) => AtomicDouble.Min(ref _bits, targetValue);
    }
}

using System.Collections.Concurrent;

namespace Faas.Prometheus;

/// <summary>The kind of a metric family, as written on its <c># TYPE</c> line.</summary>
public enum MetricType
{
    Counter,
    Gauge,
    Histogram,
}

/// <summary>A metric family: a name, help text, label names and one child per label-value tuple.</summary>
public abstract class Collector
{
    private protected Collector(string name, string help, string[] labelNames)
    {
        Name = name;
        Help = help;
        LabelNamesArray = labelNames;
        LabelNames = labelNames.AsReadOnly();
    }

    public string Name { get; }

    public string Help { get; }

    public IReadOnlyList<string> LabelNames { get; }

    public abstract MetricType Type { get; }

    private protected string[] LabelNamesArray { get; }

    /// <summary>True when a second registration with this definition should return this collector.</summary>
    internal virtual bool HasSameDefinition(Collector other) =>
        other.GetType() == GetType() && other.LabelNamesArray.AsSpan().SequenceEqual(LabelNamesArray);

    internal abstract void WriteTo(TextFormatWriter writer);
}

/// <summary>
/// A metric family whose children are cached per label-value tuple. Reading an existing child
/// takes no lock and allocates nothing.
/// </summary>
public abstract class Collector<TChild> : Collector
    where TChild : class
{
    private readonly ConcurrentDictionary<LabelValues, TChild> _children = new(LabelValuesComparer.Instance);
    private readonly ConcurrentDictionary<LabelValues, TChild>.AlternateLookup<ReadOnlySpan<string>> _lookup;
    private TChild? _unlabelled;

    private protected Collector(string name, string help, string[] labelNames)
        : base(name, help, labelNames)
    {
        _lookup = _children.GetAlternateLookup<ReadOnlySpan<string>>();
    }

    /// <summary>The only child of a family without labels.</summary>
    /// <exception cref="InvalidOperationException">The family has labels; use <see cref="WithLabels"/>.</exception>
    public TChild Unlabelled => _unlabelled ?? throw new InvalidOperationException(
        $"Metric '{Name}' has labels ({string.Join(", ", LabelNamesArray)}); select a child with WithLabels(...).");

    /// <summary>The child for these label values (in the order of <see cref="Collector.LabelNames"/>), created on first use.</summary>
    public TChild WithLabels(params ReadOnlySpan<string> labelValues)
    {
        if (labelValues.Length != LabelNamesArray.Length)
        {
            ThrowLabelCountMismatch(labelValues.Length);
        }

        if (_unlabelled is not null)
        {
            return _unlabelled;
        }

        return _lookup.TryGetValue(labelValues, out var child) ? child : AddChild(labelValues);
    }

    /// <summary>Removes the child with these label values; it no longer appears in the exposition.</summary>
    /// <returns>False when there was no such child.</returns>
    public bool RemoveLabelled(params ReadOnlySpan<string> labelValues) =>
        _unlabelled is null && labelValues.Length == LabelNamesArray.Length && _lookup.TryRemove(labelValues, out _);

    /// <summary>
    /// Removes every labelled child, for families rebuilt from elsewhere on each scrape
    /// (for example a service-count gauge refreshed in a before-collect callback).
    /// </summary>
    public void RemoveAllLabelled()
    {
        if (_unlabelled is null)
        {
            _children.Clear();
        }
    }

    /// <summary>The label values of every child currently exported.</summary>
    public IEnumerable<string[]> GetAllLabelValues()
    {
        foreach (var key in _children.Keys)
        {
            yield return (string[])key.Values.Clone();
        }
    }

    private protected abstract TChild CreateChild(LabelValues labelValues);

    /// <summary>
    /// Called last by each derived constructor (not here: <see cref="CreateChild"/> needs the derived
    /// state). A family without labels has exactly one child, exported as 0 from registration on.
    /// </summary>
    private protected void CreateUnlabelledChild()
    {
        if (LabelNamesArray.Length == 0)
        {
            var key = new LabelValues([]);
            _unlabelled = CreateChild(key);
            _children.TryAdd(key, _unlabelled);
        }
    }

    private protected abstract void WriteChild(TextFormatWriter writer, LabelValues labelValues, TChild child);

    /// <summary>Writes the family with its children in label-value order; nothing when it has no children.</summary>
    internal sealed override void WriteTo(TextFormatWriter writer)
    {
        var children = _children.ToArray();
        if (children.Length == 0)
        {
            return;
        }

        Array.Sort(children, static (x, y) => LabelValues.Compare(x.Key, y.Key));
        writer.WriteHeader(this);
        foreach (var (labels, child) in children)
        {
            WriteChild(writer, labels, child);
        }
    }

    private TChild AddChild(ReadOnlySpan<string> labelValues)
    {
        for (var i = 0; i < labelValues.Length; i++)
        {
            if (labelValues[i] is null)
            {
                throw new ArgumentException(
                    $"Value of label '{LabelNamesArray[i]}' of metric '{Name}' is null.", nameof(labelValues));
            }
        }

        var key = new LabelValues(labelValues.ToArray());
        return _children.GetOrAdd(key, static (k, self) => self.CreateChild(k), this);
    }

    private void ThrowLabelCountMismatch(int count) =>
        throw new ArgumentException(
            $"Metric '{Name}' has {LabelNamesArray.Length} label(s) ({string.Join(", ", LabelNamesArray)}) but {count} value(s) were given.",
            "labelValues");
}

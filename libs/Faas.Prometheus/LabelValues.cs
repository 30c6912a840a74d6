namespace Faas.Prometheus;

/// <summary>An immutable tuple of label values, the key of a child within its metric family.</summary>
internal readonly struct LabelValues
{
    public LabelValues(string[] values)
    {
        Values = values;
        Hash = LabelValuesComparer.ComputeHash(values);
    }

    public string[] Values { get; }

    public int Hash { get; }

    /// <summary>Ordinal, element by element: the order children appear in within a family.</summary>
    public static int Compare(LabelValues x, LabelValues y)
    {
        var length = Math.Min(x.Values.Length, y.Values.Length);
        for (var i = 0; i < length; i++)
        {
            var c = string.CompareOrdinal(x.Values[i], y.Values[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return x.Values.Length.CompareTo(y.Values.Length);
    }
}

/// <summary>
/// Equality for <see cref="LabelValues"/> that also accepts a span of strings, so looking up an
/// existing child from <c>WithLabels("a", "b")</c> allocates nothing.
/// </summary>
internal sealed class LabelValuesComparer :
    IEqualityComparer<LabelValues>,
    IAlternateEqualityComparer<ReadOnlySpan<string>, LabelValues>
{
    public static readonly LabelValuesComparer Instance = new();

    public static int ComputeHash(ReadOnlySpan<string> values)
    {
        var hash = new HashCode();
        foreach (var value in values)
        {
            hash.Add(value);
        }

        return hash.ToHashCode();
    }

    public bool Equals(LabelValues x, LabelValues y) =>
        x.Hash == y.Hash && x.Values.AsSpan().SequenceEqual(y.Values, StringComparer.Ordinal);

    public int GetHashCode(LabelValues obj) => obj.Hash;

    public bool Equals(ReadOnlySpan<string> alternate, LabelValues other) =>
        alternate.SequenceEqual(other.Values, StringComparer.Ordinal);

    public int GetHashCode(ReadOnlySpan<string> alternate) => ComputeHash(alternate);

    public LabelValues Create(ReadOnlySpan<string> alternate) => new(alternate.ToArray());
}

namespace Faas.Prometheus.Query;

/// <summary>
/// The result of a PromQL evaluation; one of <see cref="InstantVector"/>, <see cref="Matrix"/>,
/// <see cref="Scalar"/> or <see cref="StringResult"/>, as the response's <c>resultType</c> says.
/// </summary>
public abstract record QueryResult
{
    private protected QueryResult()
    {
    }

    /// <summary>Warnings Prometheus returned alongside the data (for example from partial responses).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>A set of series with one sample each, all at the evaluation time.</summary>
public sealed record InstantVector(IReadOnlyList<Sample> Samples) : QueryResult;

/// <summary>A set of series with a range of samples each (<c>query_range</c>, or a range selector).</summary>
public sealed record Matrix(IReadOnlyList<Series> Series) : QueryResult;

public sealed record Scalar(DateTimeOffset Timestamp, double Value) : QueryResult;

public sealed record StringResult(DateTimeOffset Timestamp, string Value) : QueryResult;

/// <summary>One series of an instant vector. <see cref="Value"/> may be NaN or ±Infinity.</summary>
public sealed record Sample(IReadOnlyDictionary<string, string> Labels, DateTimeOffset Timestamp, double Value);

/// <summary>One series of a matrix, its points in time order.</summary>
public sealed record Series(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<SamplePoint> Points);

public readonly record struct SamplePoint(DateTimeOffset Timestamp, double Value);

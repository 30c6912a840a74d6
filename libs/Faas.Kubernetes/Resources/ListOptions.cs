using System.Text;

namespace Faas.Kubernetes;

/// <summary>Filters and paging for a list.</summary>
public sealed record ListOptions
{
    /// <summary>A label selector in query form: <c>app=x,tier!=db,env in (a,b),!legacy</c>. See <see cref="Labels"/>.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>A field selector, e.g. <c>metadata.name=x</c> or <c>status.phase=Running</c>.</summary>
    public string? FieldSelector { get; init; }

    /// <summary>At most this many items; the answer's <c>metadata.continue</c> fetches the rest.</summary>
    public int? Limit { get; init; }

    public string? Continue { get; init; }

    /// <summary>"0" lets the server answer from its cache; null asks for the latest (a quorum read).</summary>
    public string? ResourceVersion { get; init; }

    internal string ToQuery()
    {
        var query = new QueryBuilder();
        query.Add("labelSelector", LabelSelector);
        query.Add("fieldSelector", FieldSelector);
        query.Add("limit", Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        query.Add("continue", Continue);
        query.Add("resourceVersion", ResourceVersion);
        return query.ToString();
    }
}

/// <summary>Builds label selectors from label maps.</summary>
public static class Labels
{
    /// <summary>Every pair must match: <c>a=1,b=2</c> (ordinal key order, so the text is stable).</summary>
    public static string Selector(IEnumerable<KeyValuePair<string, string>> labels) =>
        string.Join(',', labels.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={pair.Value}"));

    public static string Selector(string key, string value) => $"{key}={value}";
}

/// <summary>A query string from optional parameters (null ones left out).</summary>
internal sealed class QueryBuilder
{
    private readonly StringBuilder _text = new();

    public void Add(string name, string? value)
    {
        if (value is null)
        {
            return;
        }

        _text.Append(_text.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
    }

    public override string ToString() => _text.ToString();
}

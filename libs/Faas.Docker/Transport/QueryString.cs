using System.Globalization;
using System.Text;

namespace Faas.Docker;

/// <summary>Builds an escaped query string; empty when nothing was added.</summary>
internal sealed class QueryString
{
    private readonly StringBuilder _builder = new();

    public QueryString Add(string name, string? value)
    {
        if (value is null)
        {
            return this;
        }

        _builder.Append(_builder.Length == 0 ? '?' : '&')
            .Append(Uri.EscapeDataString(name))
            .Append('=')
            .Append(Uri.EscapeDataString(value));
        return this;
    }

    public QueryString Add(string name, bool? value) => value is null ? this : Add(name, value.Value ? "1" : "0");

    public QueryString Add(string name, long? value) => value is null ? this : Add(name, value.Value.ToString(CultureInfo.InvariantCulture));

    public QueryString AddEach(string name, IEnumerable<string>? values)
    {
        foreach (var value in values ?? [])
        {
            Add(name, value);
        }

        return this;
    }

    /// <summary>Adds <c>filters</c> as the Engine's JSON map of filter name to values; nothing when empty.</summary>
    public QueryString AddFilters(IReadOnlyDictionary<string, IList<string>>? filters)
    {
        if (filters is null || filters.Count == 0)
        {
            return this;
        }

        var map = filters.Where(f => f.Value.Count > 0).ToDictionary(f => f.Key, f => f.Value);
        return map.Count == 0 ? this : Add("filters", System.Text.Json.JsonSerializer.Serialize(map, DockerJsonContext.Default.DictionaryStringIListString));
    }

    /// <summary>A Docker timestamp parameter: unix seconds with a nanosecond fraction.</summary>
    public QueryString Add(string name, DateTimeOffset? value)
    {
        if (value is null)
        {
            return this;
        }

        var ticks = value.Value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var remainder);
        if (remainder < 0)
        {
            seconds--;
            remainder += TimeSpan.TicksPerSecond;
        }

        return Add(name, string.Create(CultureInfo.InvariantCulture, $"{seconds}.{remainder * 100:D9}"));
    }

    public override string ToString() => _builder.ToString();
}

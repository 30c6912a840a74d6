using System.Globalization;
using Faas.Contracts.Time;
using Faas.Contracts.Units;

namespace Faas.Gateway.Configuration;

/// <summary>
/// Typed reads of the gateway's settings, shared by every options reader. A missing value yields
/// the fallback; a bad one records an error that starts with <c>key='value'</c> and says what is
/// accepted, and yields the fallback so that every error can be reported at once.
/// </summary>
internal static class ConfigValues
{
    public static string? Value(IConfiguration configuration, string key)
    {
        var value = configuration[key];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    public static int Int(IConfiguration configuration, string key, int fallback, int min, int max, List<string> errors)
    {
        var text = Value(configuration, key);
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors.Add($"{key}='{text}' is not an integer in [{min}, {max}]");
        return fallback;
    }

    public static long Size(IConfiguration configuration, string key, long fallback, long min, long max, string example, List<string> errors)
    {
        var text = Value(configuration, key);
        if (text is null)
        {
            return fallback;
        }

        if (ByteSize.TryParse(text, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors.Add($"{key}='{text}' is not a size in [{min}, {max}] bytes: give bytes or a Ki, Mi or Gi suffix ({example})");
        return fallback;
    }

    public static bool Bool(IConfiguration configuration, string key, bool fallback, List<string> errors)
    {
        var text = Value(configuration, key);
        if (text is null)
        {
            return fallback;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        // OpenFaaS components also accept 1/0.
        if (text is "1" or "0")
        {
            return text == "1";
        }

        errors.Add($"{key}='{text}' is not a boolean; use true or false");
        return fallback;
    }

    /// <summary>Seconds or a Go duration within [min, max] (or (min, max] when <paramref name="minExclusive"/>).</summary>
    public static TimeSpan Duration(IConfiguration configuration, string key, TimeSpan fallback, TimeSpan min, TimeSpan max, List<string> errors, bool minExclusive = false)
    {
        var text = Value(configuration, key);
        if (text is null)
        {
            return fallback;
        }

        var range = $"{(minExclusive ? "greater than" : "at least")} {GoDuration.Format(min)} and at most {GoDuration.Format(max)}";
        if (!GoDuration.TryParse(text, out var value))
        {
            errors.Add($"{key}='{text}' is not a duration; use seconds (60) or a Go duration (1m30s, 500ms), {range}");
            return fallback;
        }

        if (value < min || (minExclusive && value == min) || value > max)
        {
            errors.Add($"{key}='{text}' is out of range; it must be {range}");
            return fallback;
        }

        return value;
    }
}

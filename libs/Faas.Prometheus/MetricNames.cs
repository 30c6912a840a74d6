namespace Faas.Prometheus;

/// <summary>Validation of metric and label names as the Prometheus data model defines them.</summary>
public static class MetricNames
{
    /// <summary>True when <paramref name="name"/> matches <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>.</summary>
    public static bool IsValidMetricName(string? name)
    {
        if (string.IsNullOrEmpty(name) || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != ':')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// True when <paramref name="name"/> matches <c>[a-zA-Z_][a-zA-Z0-9_]*</c> and does not start with
    /// <c>__</c>, which Prometheus reserves for internal labels.
    /// </summary>
    public static bool IsValidLabelName(string? name)
    {
        if (string.IsNullOrEmpty(name) || char.IsAsciiDigit(name[0]) || name.StartsWith("__", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    internal static void ThrowIfInvalidMetricName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!IsValidMetricName(name))
        {
            throw new ArgumentException(
                $"Metric name '{name}' is invalid; it must match [a-zA-Z_:][a-zA-Z0-9_:]*.", nameof(name));
        }
    }

    internal static string[] ValidateLabelNames(string metricName, IReadOnlyList<string>? labelNames, string? reservedLabel)
    {
        if (labelNames is null || labelNames.Count == 0)
        {
            return [];
        }

        var result = new string[labelNames.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var label = labelNames[i];
            if (!IsValidLabelName(label))
            {
                throw new ArgumentException(
                    $"Label name '{label}' of metric '{metricName}' is invalid; it must match [a-zA-Z_][a-zA-Z0-9_]* and must not start with '__'.",
                    nameof(labelNames));
            }

            if (label == reservedLabel)
            {
                throw new ArgumentException(
                    $"Label name '{label}' is reserved for metric '{metricName}' of this type.", nameof(labelNames));
            }

            if (Array.IndexOf(result, label, 0, i) >= 0)
            {
                throw new ArgumentException(
                    $"Label name '{label}' appears more than once on metric '{metricName}'.", nameof(labelNames));
            }

            result[i] = label;
        }

        return result;
    }
}

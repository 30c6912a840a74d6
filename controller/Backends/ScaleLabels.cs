using System.Globalization;

namespace Faas.Controller.Backends;

/// <summary>The OpenFaaS scaling labels a deployment may carry.</summary>
public static class ScaleLabels
{
    public const string Min = "com.openfaas.scale.min";
    public const string Max = "com.openfaas.scale.max";

    /// <summary>Upper bound for replicas of one function, a guard against a typo starting thousands of processes.</summary>
    public const int MaxReplicas = 100;

    /// <summary>
    /// Replicas to start on deploy: <c>com.openfaas.scale.min</c> when above 0, else 1. Null with an
    /// error message when a scaling label is not a number in range.
    /// </summary>
    public static int? InitialReplicas(IReadOnlyDictionary<string, string>? labels, out string? error)
    {
        error = null;
        var min = 0;
        if (labels is not null && labels.TryGetValue(Min, out var minText))
        {
            if (!TryParse(minText, out min))
            {
                error = $"label {Min} '{minText}' is invalid: use a whole number from 0 to {MaxReplicas}";
                return null;
            }
        }

        if (labels is not null && labels.TryGetValue(Max, out var maxText))
        {
            if (!TryParse(maxText, out var max) || max < 1)
            {
                error = $"label {Max} '{maxText}' is invalid: use a whole number from 1 to {MaxReplicas}";
                return null;
            }

            if (max < min)
            {
                error = $"label {Max} ({max}) is below {Min} ({min}): make max at least min";
                return null;
            }
        }

        return min > 0 ? min : 1;
    }

    private static bool TryParse(string text, out int value) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= MaxReplicas;
}

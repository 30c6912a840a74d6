using System.Globalization;

namespace Faas.Contracts.Units;

/// <summary>
/// Sizes as the platform's settings take them: plain bytes (<c>1048576</c>) or a binary suffix as
/// Kubernetes quantities write them (<c>512Ki</c>, <c>16Mi</c>, <c>1Gi</c>).
/// </summary>
public static class ByteSize
{
    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        var (digits, multiplier) = s switch
        {
            _ when s.EndsWith("Ki", StringComparison.Ordinal) => (s[..^2], 1024L),
            _ when s.EndsWith("Mi", StringComparison.Ordinal) => (s[..^2], 1024L * 1024),
            _ when s.EndsWith("Gi", StringComparison.Ordinal) => (s[..^2], 1024L * 1024 * 1024),
            _ => (s, 1L),
        };
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > long.MaxValue / multiplier)
        {
            return false;
        }

        bytes = number * multiplier;
        return true;
    }
}

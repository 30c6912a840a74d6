using System.Globalization;

namespace Faas.Controller.Logs;

/// <summary>Splits a replica log line <c>&lt;ISO 8601 timestamp&gt; &lt;text&gt;</c>.</summary>
public static class LogLineParser
{
    /// <summary>
    /// The line's timestamp and text; a line without a parsable timestamp (e.g. written by the
    /// dotnet host before the watchdog started) takes <paramref name="previous"/> and keeps its whole text.
    /// </summary>
    public static (DateTimeOffset Timestamp, string Text) Parse(string line, DateTimeOffset previous)
    {
        line = line.TrimEnd('\r');
        var space = line.IndexOf(' ');
        var token = space < 0 ? line : line[..space];
        if (LooksLikeTimestamp(token)
            && DateTimeOffset.TryParse(token, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var timestamp))
        {
            return (timestamp, space < 0 ? "" : line[(space + 1)..]);
        }

        return (previous, line);
    }

    // Only full ISO 8601 date-times (2024-01-02T15:04:05...), so that text starting with a number is not taken for a date.
    private static bool LooksLikeTimestamp(string token) =>
        token.Length >= 19 && char.IsAsciiDigit(token[0]) && token[4] == '-' && token[7] == '-' && token[10] == 'T';
}

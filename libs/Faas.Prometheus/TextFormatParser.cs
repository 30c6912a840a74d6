using System.Globalization;
using System.Text;

namespace Faas.Prometheus;

/// <summary>One sample line of a text exposition: <c>name{labels} value [timestamp]</c>.</summary>
public sealed record ParsedSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value, long? TimestampMs);

/// <summary>
/// Reads sample lines of the text exposition format 0.0.4 back into name, labels and value, for
/// tests and diagnostics. Comment lines (<c># HELP</c>, <c># TYPE</c>) and blank lines are skipped.
/// </summary>
public static class TextFormatParser
{
    /// <exception cref="FormatException">A line is not a valid sample; the message names the line.</exception>
    public static IReadOnlyList<ParsedSample> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var samples = new List<ParsedSample>();
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            try
            {
                samples.Add(ParseLine(line));
            }
            catch (FormatException e)
            {
                throw new FormatException($"Line {lineNumber} '{line}': {e.Message}", e);
            }
        }

        return samples;
    }

    private static ParsedSample ParseLine(string line)
    {
        var position = 0;
        var name = ReadWhile(line, ref position, static (c, first) => char.IsAsciiLetter(c) || c is '_' or ':' || (!first && char.IsAsciiDigit(c)));
        if (name.Length == 0)
        {
            throw new FormatException("expected a metric name.");
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (position < line.Length && line[position] == '{')
        {
            position++;
            ReadLabels(line, ref position, labels);
        }

        var fields = line[position..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is < 1 or > 2)
        {
            throw new FormatException("expected a value and an optional timestamp after the name and labels.");
        }

        var value = ParseValue(fields[0]);
        long? timestamp = fields.Length == 2
            ? long.TryParse(fields[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ts) ? ts : throw new FormatException($"invalid timestamp '{fields[1]}'.")
            : null;
        return new ParsedSample(name, labels, value, timestamp);
    }

    /// <summary>Parses a sample value, accepting Go's <c>+Inf</c>, <c>-Inf</c> and <c>NaN</c>.</summary>
    public static double ParseValue(string text) => text switch
    {
        "+Inf" or "Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new FormatException($"invalid value '{text}'."),
    };

    private static void ReadLabels(string line, ref int position, Dictionary<string, string> labels)
    {
        while (true)
        {
            SkipSpaces(line, ref position);
            if (position < line.Length && line[position] == '}')
            {
                position++;
                return;
            }

            var labelName = ReadWhile(line, ref position, static (c, first) => char.IsAsciiLetter(c) || c == '_' || (!first && char.IsAsciiDigit(c)));
            SkipSpaces(line, ref position);
            if (labelName.Length == 0 || !Consume(line, ref position, '=') || !Consume(line, ref position, '"'))
            {
                throw new FormatException($"expected label=\"value\" at column {position + 1}.");
            }

            if (!labels.TryAdd(labelName, ReadQuoted(line, ref position)))
            {
                throw new FormatException($"label '{labelName}' appears twice.");
            }

            SkipSpaces(line, ref position);
            if (Consume(line, ref position, ','))
            {
                continue;
            }

            if (!Consume(line, ref position, '}'))
            {
                throw new FormatException($"expected ',' or '}}' at column {position + 1}.");
            }

            return;
        }
    }

    private static string ReadQuoted(string line, ref int position)
    {
        var value = new StringBuilder();
        while (position < line.Length)
        {
            var c = line[position++];
            if (c == '"')
            {
                return value.ToString();
            }

            if (c == '\\' && position < line.Length)
            {
                var escaped = line[position++];
                value.Append(escaped switch
                {
                    'n' => '\n',
                    '\\' or '"' => escaped,
                    _ => throw new FormatException($"invalid escape '\\{escaped}' in a label value."),
                });
                continue;
            }

            value.Append(c);
        }

        throw new FormatException("unterminated label value.");
    }

    private static string ReadWhile(string line, ref int position, Func<char, bool, bool> accept)
    {
        var start = position;
        while (position < line.Length && accept(line[position], position == start))
        {
            position++;
        }

        return line[start..position];
    }

    private static bool Consume(string line, ref int position, char expected)
    {
        if (position < line.Length && line[position] == expected)
        {
            position++;
            return true;
        }

        return false;
    }

    private static void SkipSpaces(string line, ref int position)
    {
        while (position < line.Length && line[position] is ' ' or '\t')
        {
            position++;
        }
    }
}

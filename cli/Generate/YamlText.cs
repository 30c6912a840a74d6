using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Faas.Cli.Generate;

/// <summary>
/// A small block-style YAML writer for Kubernetes manifests, shaped like go-yaml's output (which
/// faas-cli uses): two-space indents, sequences not indented under their key, map keys sorted,
/// and strings double-quoted only when a plain scalar would be read back as something else.
/// </summary>
public sealed partial class YamlText
{
    private readonly StringBuilder _text = new();

    public YamlText Scalar(int indent, string key, string value)
    {
        _text.Append(' ', indent).Append(Quote(key)).Append(": ").Append(Quote(value)).Append('\n');
        return this;
    }

    public YamlText Bool(int indent, string key, bool value)
    {
        _text.Append(' ', indent).Append(Quote(key)).Append(": ").Append(value ? "true" : "false").Append('\n');
        return this;
    }

    public YamlText Key(int indent, string key)
    {
        _text.Append(' ', indent).Append(Quote(key)).Append(":\n");
        return this;
    }

    /// <summary>A map under <paramref name="key"/>, keys sorted ordinally; nothing when empty.</summary>
    public YamlText Map(int indent, string key, IReadOnlyDictionary<string, string>? values)
    {
        if (values is null || values.Count == 0)
        {
            return this;
        }

        Key(indent, key);
        foreach (var (k, v) in values.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Scalar(indent + 2, k, v);
        }

        return this;
    }

    /// <summary>A sequence under <paramref name="key"/> (items at the key's indent, as go-yaml writes); nothing when empty.</summary>
    public YamlText List(int indent, string key, IReadOnlyList<string>? values)
    {
        if (values is null || values.Count == 0)
        {
            return this;
        }

        Key(indent, key);
        foreach (var value in values)
        {
            _text.Append(' ', indent).Append("- ").Append(Quote(value)).Append('\n');
        }

        return this;
    }

    public YamlText Raw(string line)
    {
        _text.Append(line).Append('\n');
        return this;
    }

    public override string ToString() => _text.ToString();

    /// <summary>The value as a plain scalar when that reads back as the same string, else double-quoted.</summary>
    public static string Quote(string value) => NeedsQuotes(value) ? DoubleQuoted(value) : value;

    private static bool NeedsQuotes(string value)
    {
        if (value.Length == 0 || value != value.Trim() || "-?:,[]{}#&*!|>'\"%@`".Contains(value[0], StringComparison.Ordinal))
        {
            return true;
        }

        if (value.Contains(": ", StringComparison.Ordinal) || value.Contains(" #", StringComparison.Ordinal) || value.EndsWith(':'))
        {
            return true;
        }

        if (value.Any(c => char.IsControl(c) || c == '\u0085' || c == '\u2028' || c == '\u2029' || c == '\uFEFF'))
        {
            return true;
        }

        // Words and numbers a YAML 1.1 or 1.2 reader resolves to bool, null, int, float or timestamp.
        return Reserved().IsMatch(value) || NumberLike().IsMatch(value) || TimestampLike().IsMatch(value);
    }

    private static string DoubleQuoted(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (char.IsControl(c) || c is '\u0085' or '\u2028' or '\u2029' or '\uFEFF')
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    [GeneratedRegex("^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|<<|=)$")]
    private static partial Regex Reserved();

    [GeneratedRegex(@"^(?:[-+]?(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?0x[0-9a-fA-F_]+|[-+]?0o?[0-7_]+|[-+]?0b[01_]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?)$")]
    private static partial Regex NumberLike();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")]
    private static partial Regex TimestampLike();
}

using System.Globalization;
using System.Text;

namespace Faas.Cli.Logs;

/// <summary>
/// Formats timestamps with a Go reference layout (<c>2006-01-02T15:04:05Z07:00</c>), as
/// faas-cli's <c>logs --time-format</c> takes them. Times are shown in UTC.
/// </summary>
public static class GoTimeLayout
{
    public const string Rfc3339 = "2006-01-02T15:04:05Z07:00";

    // Longest first so "2006" wins over "06" and ".000000" over ".000".
    private static readonly (string Go, string DotNet)[] Tokens =
    [
        (".000000000", ".fffffff"), (".999999999", ".FFFFFFF"), (".000000", ".ffffff"), (".999999", ".FFFFFF"),
        (".000", ".fff"), (".999", ".FFF"), ("January", "MMMM"), ("Monday", "dddd"), ("Z07:00", "'Z'"),
        ("-07:00", "zzz"), ("Z0700", "'Z'"), ("-0700", "'+0000'"), ("2006", "yyyy"), ("Jan", "MMM"),
        ("Mon", "ddd"), ("MST", "'UTC'"), ("01", "MM"), ("02", "dd"), ("15", "HH"), ("03", "hh"),
        ("04", "mm"), ("05", "ss"), ("06", "yy"), ("PM", "tt"),
    ];

    public static string ToDotNet(string layout)
    {
        var result = new StringBuilder();
        var literal = new StringBuilder();
        var i = 0;
        while (i < layout.Length)
        {
            var token = Tokens.FirstOrDefault(t => string.CompareOrdinal(layout, i, t.Go, 0, t.Go.Length) == 0);
            if (token.Go is null)
            {
                literal.Append(layout[i] == '\'' ? "\\'" : layout[i].ToString());
                i++;
                continue;
            }

            FlushLiteral();
            result.Append(token.DotNet);
            i += token.Go.Length;
        }

        FlushLiteral();
        return result.ToString();

        void FlushLiteral()
        {
            if (literal.Length > 0)
            {
                result.Append('\'').Append(literal).Append('\'');
                literal.Clear();
            }
        }
    }

    public static string Format(DateTimeOffset time, string layout) =>
        time.ToUniversalTime().ToString(ToDotNet(layout), CultureInfo.InvariantCulture);
}

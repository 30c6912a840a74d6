using System.Text.RegularExpressions;

namespace Faas.Cli.Stack;

/// <summary>
/// <c>${VAR}</c>, <c>${VAR:-default}</c> (default when unset or empty) and <c>${VAR-default}</c>
/// (default when unset) in stack files, as faas-cli's <c>--envsubst</c>. Unset variables without a
/// default become empty.
/// </summary>
public static partial class EnvSubstitution
{
    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?<op>:?-)(?<default>[^}]*))?\}", RegexOptions.CultureInvariant)]
    private static partial Regex Variable();

    public static string Apply(string text, Func<string, string?> lookup) =>
        Variable().Replace(text, match =>
        {
            var value = lookup(match.Groups["name"].Value);
            var op = match.Groups["op"];
            if (!op.Success)
            {
                return value ?? "";
            }

            var useDefault = op.Value == ":-" ? string.IsNullOrEmpty(value) : value is null;
            return useDefault ? match.Groups["default"].Value : value!;
        });
}

using System.Text.RegularExpressions;

namespace Faas.Cli.Stack;

/// <summary>faas-cli's <c>--filter</c> (glob on the function name) and <c>--regex</c>.</summary>
public static class FunctionFilter
{
    public static IReadOnlyList<StackFunction> Apply(StackFile stack, string? filter, string? regex)
    {
        if (!string.IsNullOrEmpty(filter) && !string.IsNullOrEmpty(regex))
        {
            throw new UsageException("pass in a regex or a filter, not both");
        }

        Regex? pattern = null;
        if (!string.IsNullOrEmpty(regex))
        {
            try
            {
                pattern = new Regex(regex, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException ex)
            {
                throw new UsageException($"invalid --regex '{regex}': {ex.Message}");
            }
        }
        else if (!string.IsNullOrEmpty(filter))
        {
            pattern = new Regex("^" + Regex.Escape(filter).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.CultureInvariant);
        }

        var selected = stack.Functions.Values
            .Where(f => pattern is null || pattern.IsMatch(f.Name))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
        if (selected.Count == 0)
        {
            var why = pattern is null ? "" : $" matching {(regex is { Length: > 0 } ? "--regex " + regex : "--filter " + filter)}";
            throw new CommandFailedException($"no functions found in {stack.Path}{why}");
        }

        return selected;
    }
}

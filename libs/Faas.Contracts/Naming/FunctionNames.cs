using System.Text.RegularExpressions;

namespace Faas.Contracts.Naming;

/// <summary>OpenFaaS naming rules: function, secret and namespace names are DNS-1123 labels.</summary>
public static partial class FunctionNames
{
    public const string DefaultNamespace = "openfaas-fn";
    public const int MaxLength = 63;

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123Label();

    /// <summary>True when <paramref name="name"/> is a DNS-1123 label of at most 63 characters.</summary>
    public static bool IsValid(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxLength && Dns1123Label().IsMatch(name);

    /// <summary>Null when valid, else a message that says what to fix (naming the field).</summary>
    public static string? Validate(string? name, string what = "function name")
    {
        if (string.IsNullOrEmpty(name))
        {
            return $"{what} is required";
        }

        if (name.Length > MaxLength)
        {
            return $"{what} '{name}' is {name.Length} characters long; at most {MaxLength} are allowed";
        }

        return Dns1123Label().IsMatch(name)
            ? null
            : $"{what} '{name}' is invalid: use lower-case letters, digits and '-', starting and ending with a letter or digit (DNS-1123)";
    }

    /// <summary>
    /// Splits an invoke token <c>name.namespace</c> on the last dot, as OpenFaaS does.
    /// A token without a dot belongs to <paramref name="defaultNamespace"/>.
    /// </summary>
    public static (string Name, string Namespace) Split(string token, string defaultNamespace = DefaultNamespace)
    {
        var dot = token.LastIndexOf('.');
        return dot <= 0 || dot == token.Length - 1
            ? (token, defaultNamespace)
            : (token[..dot], token[(dot + 1)..]);
    }

    /// <summary>The <c>function_name</c> metric label and log key: <c>name.namespace</c>.</summary>
    public static string Qualified(string name, string @namespace) => $"{name}.{@namespace}";
}

using Faas.Contracts.Naming;
using Faas.Controller.Namespaces;

namespace Faas.Controller.Configuration;

/// <summary>
/// Which namespaces requests may name: the configured <c>function_namespace</c> (always there)
/// plus those created through <c>/system/namespace/{name}</c>. Reserved names are never usable.
/// </summary>
public sealed class NamespacePolicy(ControllerOptions options, INamespaceStore store)
{
    public const string KubeSystem = "kube-system";

    /// <summary>Kubernetes' own namespaces and the platform's core namespace: never function namespaces.</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.Ordinal)
    {
        KubeSystem, "kube-public", "kube-node-lease", "default", "openfaas",
    };

    public string Default => options.FunctionNamespace;

    /// <summary>The default namespace first, then the created ones by name.</summary>
    public IReadOnlyList<string> All() => [Default, .. store.List().Select(n => n.Name).Where(n => n != Default)];

    /// <summary>Null when allowed (with <paramref name="resolved"/> set), else a message that says what to fix.</summary>
    public string? Resolve(string? requested, out string resolved)
    {
        resolved = string.IsNullOrWhiteSpace(requested) ? options.FunctionNamespace : requested.Trim();
        if (resolved == options.FunctionNamespace)
        {
            return null;
        }

        if (ValidateNewName(resolved) is { } invalid)
        {
            return invalid;
        }

        if (store.Get(resolved) is not null)
        {
            return null;
        }

        return store.Explain(resolved) is { } reason
            ? $"{reason}; namespaces: {string.Join(", ", All())}"
            : $"namespace '{resolved}' does not exist: create it first (faas-cli namespace create {resolved}); namespaces: {string.Join(", ", All())}";
    }

    /// <summary>Null when <paramref name="name"/> may be created as a namespace, else why not.</summary>
    public static string? ValidateNewName(string? name)
    {
        if (FunctionNames.Validate(name, "namespace") is { } invalid)
        {
            return invalid;
        }

        return Reserved.Contains(name!)
            ? $"namespace '{name}' is reserved ({string.Join(", ", Reserved)} cannot hold functions or secrets): use another name"
            : null;
    }
}

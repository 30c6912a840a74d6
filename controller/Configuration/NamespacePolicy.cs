namespace Faas.Controller.Configuration;

/// <summary>
/// Which namespaces requests may name. For now only the configured <c>function_namespace</c>
/// (as OpenFaaS CE); <c>kube-system</c> is always refused.
/// </summary>
public sealed class NamespacePolicy(ControllerOptions options)
{
    public const string KubeSystem = "kube-system";

    public string Default => options.FunctionNamespace;

    /// <summary>Null when allowed (with <paramref name="resolved"/> set), else a message that says what to fix.</summary>
    public string? Resolve(string? requested, out string resolved)
    {
        resolved = string.IsNullOrWhiteSpace(requested) ? options.FunctionNamespace : requested.Trim();
        if (resolved == KubeSystem)
        {
            return "the kube-system namespace cannot hold functions: namespace must be: " + options.FunctionNamespace;
        }

        return resolved == options.FunctionNamespace
            ? null
            : "namespace must be: " + options.FunctionNamespace;
    }
}

namespace Faas.Controller.Backends.Kubernetes;

/// <summary>How the Kubernetes backend finds function namespaces (<c>kubernetes_namespaces</c>).</summary>
public enum KubernetesNamespaceMode
{
    /// <summary>
    /// <c>configured</c> (default; the chart's clusterRole=false): <c>function_namespace</c> plus those of
    /// <c>extra_function_namespaces</c> that carry the opt-in annotation. Needs only <c>get</c> on those
    /// Namespaces; namespaces cannot be created or deleted through the API.
    /// </summary>
    Configured,

    /// <summary>
    /// <c>annotation</c> (the chart's clusterRole=true): every Namespace annotated <c>openfaas=1</c>, as
    /// OpenFaaS with clusterRole=true; namespaces are created and deleted through the API.
    /// </summary>
    Annotation,
}

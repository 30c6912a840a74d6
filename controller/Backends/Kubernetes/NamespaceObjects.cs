using Faas.Contracts.System;
using Faas.Controller.Namespaces;
using Faas.Kubernetes;

namespace Faas.Controller.Backends.Kubernetes;

/// <summary>What makes a Kubernetes Namespace a function namespace, and how it maps to the provider API's shape.</summary>
internal static class NamespaceObjects
{
    /// <summary>OpenFaaS's opt-in marker: the annotation <c>openfaas: "1"</c> on the Namespace.</summary>
    public const string OptInKey = NamespacesApi.OptInKey;

    public const string OptInValue = "1";

    public static bool IsOptedIn(Namespace ns) =>
        ns.Metadata.Annotations?.GetValueOrDefault(OptInKey) == OptInValue;

    /// <summary>Terminating namespaces are gone for the platform: nothing new can be created in them.</summary>
    public static bool IsLive(Namespace ns) =>
        ns.Metadata.DeletionTimestamp is null && ns.Status?.Phase != "Terminating";

    /// <summary>Created through the API (so the API may delete it); an annotated namespace someone else made is only borrowed.</summary>
    public static bool IsManaged(Namespace ns) =>
        ns.Metadata.Labels?.GetValueOrDefault(FunctionObjects.ManagedByLabel) == FunctionObjects.ManagedByValue;

    public static FunctionNamespace ToFunctionNamespace(Namespace ns) => new()
    {
        Name = ns.Metadata.Name ?? "",
        Labels = new Dictionary<string, string>(ns.Metadata.Labels ?? [], StringComparer.Ordinal),
        Annotations = new Dictionary<string, string>(ns.Metadata.Annotations ?? [], StringComparer.Ordinal),
    };

    public static string NotOptedIn(string name) =>
        $"namespace '{name}' is not opted in: it lacks the annotation {OptInKey}=\"{OptInValue}\"; opt it in with `kubectl annotate namespace {name} {OptInKey}={OptInValue}`";
}

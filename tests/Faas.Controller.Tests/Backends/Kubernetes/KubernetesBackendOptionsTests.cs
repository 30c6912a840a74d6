using Faas.Controller.Backends.Kubernetes;
using Faas.Controller.Configuration;
using Microsoft.Extensions.Configuration;

namespace Faas.Controller.Tests.Backends.Kubernetes;

public sealed class KubernetesBackendOptionsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    [Fact]
    public void EveryProblemIsListed_MissingKubeconfigBadNamespaceAndBadPort()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<ControllerOptionsException>(() => KubernetesBackendOptions.Load(
            Config(("kubeconfig", dir.Combine("absent.yaml")), ("extra_function_namespaces", "team-a,Bad_Name,kube-system"), ("kubernetes_watchdog_port", "70000")),
            new ControllerOptions()));

        Assert.Contains(e.Errors, m => m.StartsWith("kubeconfig '", StringComparison.Ordinal) && m.Contains("absent.yaml"));
        Assert.Contains(e.Errors, m => m.StartsWith("extra_function_namespaces:", StringComparison.Ordinal) && m.Contains("Bad_Name"));
        Assert.Contains(e.Errors, m => m.StartsWith("extra_function_namespaces:", StringComparison.Ordinal) && m.Contains("reserved"));
        Assert.Contains(e.Errors, m => m.StartsWith("kubernetes_watchdog_port", StringComparison.Ordinal));
        Assert.Equal(4, e.Errors.Count);
    }

    [Fact]
    public void ExtraNamespaces_AreTrimmedDeduplicatedAndExcludeTheDefault()
    {
        using var dir = new TempDir();
        var kubeconfig = dir.Combine("config");
        File.WriteAllText(kubeconfig, """
            apiVersion: v1
            kind: Config
            current-context: c
            clusters: [{name: k, cluster: {server: "https://127.0.0.1:6443", insecure-skip-tls-verify: true}}]
            users: [{name: u, user: {token: t}}]
            contexts: [{name: c, context: {cluster: k, user: u}}]
            """);

        var options = KubernetesBackendOptions.Load(
            Config(("kubeconfig", kubeconfig), ("extra_function_namespaces", " team-a, openfaas-fn ,team-b,team-a")),
            new ControllerOptions { FunctionNamespace = "openfaas-fn" });

        Assert.Equal(["team-a", "team-b"], options.ExtraNamespaces);
        Assert.Equal(new Uri("https://127.0.0.1:6443"), options.Client.Server);
        Assert.Equal(8080, options.WatchdogPort);
    }

    [Fact]
    public void NamespaceMode_DefaultsToConfigured_AcceptsAnnotation_AndRefusesUnknownOrExtraWithAnnotation()
    {
        using var dir = new TempDir();
        var kubeconfig = WriteKubeconfig(dir);

        Assert.Equal(KubernetesNamespaceMode.Configured, KubernetesBackendOptions.Load(Config(("kubeconfig", kubeconfig)), new ControllerOptions()).NamespaceMode);
        Assert.Equal(KubernetesNamespaceMode.Annotation,
            KubernetesBackendOptions.Load(Config(("kubeconfig", kubeconfig), ("kubernetes_namespaces", "Annotation")), new ControllerOptions()).NamespaceMode);

        var unknown = Assert.Throws<ControllerOptionsException>(() => KubernetesBackendOptions.Load(
            Config(("kubeconfig", kubeconfig), ("kubernetes_namespaces", "all")), new ControllerOptions()));
        Assert.Contains("kubernetes_namespaces 'all'", Assert.Single(unknown.Errors));

        var both = Assert.Throws<ControllerOptionsException>(() => KubernetesBackendOptions.Load(
            Config(("kubeconfig", kubeconfig), ("kubernetes_namespaces", "annotation"), ("extra_function_namespaces", "team-a")), new ControllerOptions()));
        Assert.Contains("kubectl annotate namespace", Assert.Single(both.Errors));
    }

    private static string WriteKubeconfig(TempDir dir)
    {
        var kubeconfig = dir.Combine("config");
        File.WriteAllText(kubeconfig, """
            apiVersion: v1
            kind: Config
            current-context: c
            clusters: [{name: k, cluster: {server: "https://127.0.0.1:6443", insecure-skip-tls-verify: true}}]
            users: [{name: u, user: {token: t}}]
            contexts: [{name: c, context: {cluster: k, user: u}}]
            """);
        return kubeconfig;
    }
}

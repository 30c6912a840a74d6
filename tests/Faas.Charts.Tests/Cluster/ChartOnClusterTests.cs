using System.Text.RegularExpressions;
using Faas.Charts.Tests.Rendering;
using Faas.Testing.Kubernetes;

namespace Faas.Charts.Tests.Cluster;

/// <summary>
/// The chart on a real API server (etcd + kube-apiserver v1.20.2 + controller-manager, no kubelet):
/// scripts/check-chart-on-cluster.sh applies every rendered object with kubectl, then acts with a token
/// of the chart's controller ServiceAccount. Pods stay Pending; what is checked is admission and RBAC.
/// </summary>
[Collection(ChartClusterCollection.Name)]
public sealed partial class ChartOnClusterTests(KubernetesControlPlaneFixture cluster)
{
    [Fact]
    public async Task EveryObjectIsAccepted_AndTheControllersServiceAccountCanDoItsWorkAndNothingMore()
    {
        var ns = KubernetesControlPlaneFixture.NewNamespaceName("chart");
        var fnns = ns + "-fn";
        var expected = await ChartRenderer.RenderInNamespaceAsync(ns, "--set", $"functionNamespace.name={fnns}");

        var (exitCode, output) = await ChartCheckScript.RunAsync(cluster, ns);
        var context = $"check-chart-on-cluster.sh exited {exitCode}:\n{output}\n{cluster.LogTails()}";

        // 1. kubectl apply reported each rendered object as created (kind.group/name), and nothing else.
        var created = ApplyLine().Matches(output)
            .Select(match => (Kind: match.Groups["kind"].Value, Name: match.Groups["name"].Value))
            .Order()
            .ToList();
        var rendered = expected.Objects.Select(o => (Kind: o.Kind.ToLowerInvariant(), o.Name)).Order().ToList();
        Assert.True(rendered.Count > 10, context);
        Assert.True(rendered.SequenceEqual(created),
            $"rendered: {string.Join(", ", rendered)}\ncreated: {string.Join(", ", created)}\n{context}");

        // 2. The backend's work in the function namespace is allowed; the rest is refused as Forbidden.
        Assert.True(exitCode == 0, context);
        Assert.DoesNotContain("FAILED", output, StringComparison.Ordinal);
        Assert.DoesNotContain("ALLOWED", output, StringComparison.Ordinal);
        Assert.Contains($"ok        -n {fnns} create deployment check", output, StringComparison.Ordinal);
        Assert.Contains($"ok        -n {fnns} scale deployment check --replicas=3", output, StringComparison.Ordinal);
        Assert.Contains($"ok        -n {fnns} create secret generic check-key", output, StringComparison.Ordinal);
        Assert.Contains($"ok        -n {fnns} delete deployment check", output, StringComparison.Ordinal);
        Assert.Contains($"forbidden -n {fnns} create configmap check", output, StringComparison.Ordinal);
        Assert.Contains("forbidden -n default create deployment check", output, StringComparison.Ordinal);
        Assert.Contains($"forbidden -n {ns} get secret faas-basic-auth", output, StringComparison.Ordinal);
        Assert.Contains("forbidden get namespaces", output, StringComparison.Ordinal);
        Assert.Equal(11, Regex.Matches(output, "^ok        ", RegexOptions.Multiline).Count);
        Assert.Contains($"forbidden create namespace {ns}-new", output, StringComparison.Ordinal);
        Assert.Equal(7, Regex.Matches(output, "^forbidden ", RegexOptions.Multiline).Count);
        Assert.Contains("check-chart-on-cluster: 0 failed", output, StringComparison.Ordinal);

        // 3. The script removes what it made (deletion is asynchronous: the namespaces are at least Terminating).
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var release = await cluster.SendRawAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}", null, timeout.Token);
        Assert.Contains("\"Terminating\"", release, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithClusterRole_TheControllerManagesNamespacesAndWorksEverywhere_ButStillNotConfigMapsPodsOrRbac()
    {
        var ns = KubernetesControlPlaneFixture.NewNamespaceName("chartcr");
        var fnns = ns + "-fn";

        var (exitCode, output) = await ChartCheckScript.RunAsync(cluster, ns, false, "--cluster-role");
        var context = $"check-chart-on-cluster.sh --cluster-role exited {exitCode}:\n{output}\n{cluster.LogTails()}";

        Assert.True(exitCode == 0, context);
        Assert.Contains($"clusterrole.rbac.authorization.k8s.io/faas-controller-{ns} created", output, StringComparison.Ordinal);
        Assert.Contains($"clusterrolebinding.rbac.authorization.k8s.io/faas-controller-{ns} created", output, StringComparison.Ordinal);
        Assert.DoesNotContain("role.rbac.authorization.k8s.io/faas-controller created", output, StringComparison.Ordinal);
        Assert.DoesNotContain("FAILED", output, StringComparison.Ordinal);
        Assert.DoesNotContain("ALLOWED", output, StringComparison.Ordinal);
        Assert.Contains($"ok        -n {fnns} create deployment check", output, StringComparison.Ordinal);
        Assert.Contains("ok        -n default get deployments,services,pods", output, StringComparison.Ordinal);
        Assert.Contains("ok        get namespaces", output, StringComparison.Ordinal);
        Assert.Contains($"ok        create namespace {ns}-new", output, StringComparison.Ordinal);
        Assert.Contains($"ok        annotate namespace {ns}-new openfaas=1", output, StringComparison.Ordinal);
        Assert.Contains($"ok        delete namespace {ns}-new", output, StringComparison.Ordinal);
        Assert.Contains($"forbidden -n {fnns} create configmap check", output, StringComparison.Ordinal);
        Assert.Contains($"forbidden -n {fnns} delete pod check-absent", output, StringComparison.Ordinal);
        Assert.Contains("forbidden create clusterrole check", output, StringComparison.Ordinal);
        Assert.Contains("forbidden get nodes", output, StringComparison.Ordinal);
        Assert.Equal(16, Regex.Matches(output, "^ok        ", RegexOptions.Multiline).Count);
        Assert.Equal(4, Regex.Matches(output, "^forbidden ", RegexOptions.Multiline).Count);
    }

    // kubectl apply's line per object: "deployment.apps/faas-gateway created", "namespace/x created".
    [GeneratedRegex(@"^(?<kind>[a-z]+)(\.[a-z0-9.]+)?/(?<name>\S+) created$", RegexOptions.Multiline)]
    private static partial Regex ApplyLine();
}

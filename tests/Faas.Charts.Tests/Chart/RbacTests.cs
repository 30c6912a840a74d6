using Faas.Charts.Tests.Rendering;

namespace Faas.Charts.Tests.Chart;

/// <summary>The controller's rights: exactly what the Kubernetes backend needs, only in the function namespace(s).</summary>
public sealed class RbacTests
{
    private static readonly string[] ReadWrite = ["get", "list", "watch", "create", "update", "patch", "delete"];
    private static readonly string[] ReadOnly = ["get", "list", "watch"];

    /// <summary>(apiGroup, resource) → verbs; any other grant fails the test.</summary>
    private static readonly Dictionary<(string Group, string Resource), string[]> Expected = new()
    {
        [("apps", "deployments")] = ReadWrite,
        [("apps", "deployments/scale")] = ["get", "update", "patch"],
        [("", "services")] = ReadWrite,
        [("", "secrets")] = ReadWrite,
        [("", "pods")] = ReadOnly,
        [("", "pods/log")] = ["get"],
        [("", "endpoints")] = ReadOnly,
        [("", "events")] = ReadOnly,
    };

    [Fact]
    public async Task ControllerRole_GrantsExactlyTheBackendsVerbsAndResources()
    {
        var manifests = await ChartRenderer.RenderAsync();

        var role = manifests.Single("Role", "faas-controller");
        Assert.Equal("openfaas-fn", role.Namespace);
        Assert.Equal(ExpectedGrants().Order(), Grants(role).Order());
    }

    [Fact]
    public async Task ControllerRoles_ExistOnlyInTheFunctionNamespaces_AndBindTheControllersServiceAccount()
    {
        var manifests = await ChartRenderer.RenderAsync("--set", "functionNamespace.extra={team-a,openfaas-fn,team-b}");

        string[] namespaces = ["openfaas-fn", "team-a", "team-b"];
        Assert.Equal(namespaces, manifests.OfKind("Role").Select(r => r.Namespace!).Order());
        Assert.Equal(namespaces, manifests.OfKind("RoleBinding").Select(r => r.Namespace!).Order());
        Assert.All(manifests.OfKind("Role"), role => Assert.Equal(ExpectedGrants().Order(), Grants(role).Order()));

        foreach (var binding in manifests.OfKind("RoleBinding"))
        {
            var roleRef = Yaml.Map(binding.Raw, "roleRef");
            Assert.Equal("Role", Yaml.Str(roleRef, "kind"));
            Assert.Equal("faas-controller", Yaml.Str(roleRef, "name"));
            var subject = Assert.Single(Yaml.Maps(binding.Raw, "subjects"));
            Assert.Equal("ServiceAccount", Yaml.Str(subject, "kind"));
            Assert.Equal("faas-controller", Yaml.Str(subject, "name"));
            Assert.Equal(ChartRenderer.Namespace, Yaml.Str(subject, "namespace"));
        }
    }

    [Fact]
    public async Task OnlyTheController_RunsWithAServiceAccountToken()
    {
        var manifests = await ChartRenderer.RenderAsync();

        var controller = manifests.Single("Deployment", "faas-controller");
        Assert.Equal("faas-controller", Yaml.Str(controller.PodSpec, "serviceAccountName"));
        Assert.Equal(ChartRenderer.Namespace, manifests.Single("ServiceAccount", "faas-controller").Namespace);
        Assert.Equal("true", Yaml.Str(controller.PodSpec, "automountServiceAccountToken"));

        foreach (var workload in manifests.Objects.Where(o => o.Kind is "Deployment" or "StatefulSet" && o.Name != "faas-controller"))
        {
            Assert.Equal("false", Yaml.Str(workload.PodSpec, "automountServiceAccountToken"));
        }
    }

    [Fact]
    public async Task WithoutClusterRole_NoExtraNamespaces_NothingClusterWide()
    {
        var manifests = await ChartRenderer.RenderAsync();

        Assert.Empty(manifests.OfKind("ClusterRole"));
        Assert.Empty(manifests.OfKind("ClusterRoleBinding"));
    }

    [Fact]
    public async Task WithoutClusterRole_ExtraNamespaces_OnlyGetOnThoseNamespacesByName()
    {
        var manifests = await ChartRenderer.RenderAsync("--set", "functionNamespace.extra={team-a,openfaas-fn,team-b,team-a}");

        var clusterRole = manifests.Single("ClusterRole", $"faas-controller-{ChartRenderer.Namespace}");
        var rule = Assert.Single(Yaml.Maps(clusterRole.Raw, "rules"));
        Assert.Equal([""], Yaml.Strings(rule, "apiGroups"));
        Assert.Equal(["namespaces"], Yaml.Strings(rule, "resources"));
        Assert.Equal(["get"], Yaml.Strings(rule, "verbs"));
        // The main namespace needs no check (it is always a function namespace); duplicates collapse.
        Assert.Equal(["team-a", "team-b"], Yaml.Strings(rule, "resourceNames"));
        AssertBindsTheControllersServiceAccount(manifests.Single("ClusterRoleBinding", $"faas-controller-{ChartRenderer.Namespace}"), "ClusterRole", $"faas-controller-{ChartRenderer.Namespace}");
    }

    [Fact]
    public async Task WithClusterRole_NoRoles_OneClusterRoleWithTheFunctionRightsPlusNamespaces()
    {
        var manifests = await ChartRenderer.RenderAsync("--set", "clusterRole=true");

        Assert.Empty(manifests.OfKind("Role"));
        Assert.Empty(manifests.OfKind("RoleBinding"));
        var clusterRole = manifests.Single("ClusterRole", $"faas-controller-{ChartRenderer.Namespace}");
        Assert.Null(clusterRole.Namespace);
        var expected = ExpectedGrants().Concat(ReadWrite.Select(v => $"|namespaces|{v}"));
        Assert.Equal(expected.Order(), Grants(clusterRole).Order());
        Assert.All(Yaml.Maps(clusterRole.Raw, "rules"), rule => Assert.False(rule.ContainsKey("resourceNames")));
        AssertBindsTheControllersServiceAccount(manifests.Single("ClusterRoleBinding", $"faas-controller-{ChartRenderer.Namespace}"), "ClusterRole", $"faas-controller-{ChartRenderer.Namespace}");
    }

    [Fact]
    public async Task ClusterRoleNames_CarryTheReleaseNamespace_SoTwoReleasesDoNotCollide()
    {
        var one = await ChartRenderer.RenderInNamespaceAsync("team-one", "--set", "clusterRole=true");
        var two = await ChartRenderer.RenderInNamespaceAsync("team-two", "--set", "clusterRole=true");

        Assert.Equal("faas-controller-team-one", Assert.Single(one.OfKind("ClusterRole")).Name);
        Assert.Equal("faas-controller-team-two", Assert.Single(two.OfKind("ClusterRole")).Name);
    }

    [Fact]
    public async Task WithClusterRole_ExtraNamespacesAreRefused_WithHowToOptIn()
    {
        var result = await ChartRenderer.RenderRawAsync("--set", "clusterRole=true,functionNamespace.extra={team-a}");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("functionNamespace.extra is for clusterRole=false", result.Stderr + result.Stdout);
        Assert.Contains("kubectl annotate namespace", result.Stderr + result.Stdout);
    }

    private static void AssertBindsTheControllersServiceAccount(K8sObject binding, string kind, string name)
    {
        var roleRef = Yaml.Map(binding.Raw, "roleRef");
        Assert.Equal(kind, Yaml.Str(roleRef, "kind"));
        Assert.Equal(name, Yaml.Str(roleRef, "name"));
        var subject = Assert.Single(Yaml.Maps(binding.Raw, "subjects"));
        Assert.Equal("ServiceAccount", Yaml.Str(subject, "kind"));
        Assert.Equal("faas-controller", Yaml.Str(subject, "name"));
        Assert.Equal(ChartRenderer.Namespace, Yaml.Str(subject, "namespace"));
    }

    private static IEnumerable<string> ExpectedGrants() =>
        Expected.SelectMany(kv => kv.Value.Select(v => $"{kv.Key.Group}|{kv.Key.Resource}|{v}"));

    private static IEnumerable<string> Grants(K8sObject role) =>
        from rule in Yaml.Maps(role.Raw, "rules")
        from g in Yaml.Strings(rule, "apiGroups")
        from r in Yaml.Strings(rule, "resources")
        from v in Yaml.Strings(rule, "verbs")
        select $"{g}|{r}|{v}";
}

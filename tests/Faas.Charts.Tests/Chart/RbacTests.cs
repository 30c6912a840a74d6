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

    private static IEnumerable<string> ExpectedGrants() =>
        Expected.SelectMany(kv => kv.Value.Select(v => $"{kv.Key.Group}|{kv.Key.Resource}|{v}"));

    private static IEnumerable<string> Grants(K8sObject role) =>
        from rule in Yaml.Maps(role.Raw, "rules")
        from g in Yaml.Strings(rule, "apiGroups")
        from r in Yaml.Strings(rule, "resources")
        from v in Yaml.Strings(rule, "verbs")
        select $"{g}|{r}|{v}";
}

using System.Net;
using System.Text;
using System.Text.Json;
using Faas.Contracts.Json;
using Faas.Contracts.System;
using Faas.Controller.Namespaces;
using Faas.Controller.Tests.Fakes;

namespace Faas.Controller.Tests.Namespaces;

/// <summary><c>/system/namespaces</c> and <c>/system/namespace/{name}</c>, and functions and secrets scoped by namespace.</summary>
public sealed class NamespacesApiTests : IAsyncLifetime
{
    private ControllerHost _host = null!;

    private HttpClient Client => _host.Client;

    public async Task InitializeAsync() => _host = await ControllerHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Lifecycle_CreateGetUpdateListDelete()
    {
        Assert.Equal(["openfaas-fn"], await ListAsync());

        using (var create = await SendAsync(HttpMethod.Post, "/system/namespace/", """{"name":"team-a","labels":{"owner":"a"},"annotations":{"note":"n"}}"""))
        {
            Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        }

        var got = await GetAsync("team-a");
        Assert.Equal("a", got.Labels!["owner"]);
        Assert.Equal("1", got.Labels["openfaas"]);
        Assert.Equal("n", got.Annotations!["note"]);
        Assert.Equal(["openfaas-fn", "team-a"], await ListAsync());

        Assert.Equal(HttpStatusCode.Conflict, await StatusAsync(HttpMethod.Post, "/system/namespace/team-a", ""));
        Assert.Equal(HttpStatusCode.Conflict, await StatusAsync(HttpMethod.Post, "/system/namespace/openfaas-fn", ""));

        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(HttpMethod.Put, "/system/namespace/team-a", """{"labels":{"owner":"b"}}"""));
        Assert.Equal("b", (await GetAsync("team-a")).Labels!["owner"]);
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(HttpMethod.Put, "/system/namespace/nobody", """{"labels":{}}"""));

        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(HttpMethod.Delete, "/system/namespace/team-a", ""));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(HttpMethod.Delete, "/system/namespace/team-a", ""));
        using var gone = await Client.GetAsync("/system/namespace/team-a");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(["openfaas-fn"], await ListAsync());
    }

    [Fact]
    public async Task DefaultNamespace_AlwaysExists_AndCannotBeChangedOrDeleted()
    {
        var got = await GetAsync("openfaas-fn");
        Assert.Equal("openfaas-fn", got.Name);

        using var delete = await SendAsync(HttpMethod.Delete, "/system/namespace/openfaas-fn", "");
        Assert.Equal(HttpStatusCode.BadRequest, delete.StatusCode);
        Assert.Contains("cannot be deleted", await delete.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, await StatusAsync(HttpMethod.Put, "/system/namespace/openfaas-fn", """{"labels":{"a":"b"}}"""));
    }

    [Theory]
    [InlineData("/system/namespace/kube-system", "", "is reserved")]
    [InlineData("/system/namespace/kube-public", "", "is reserved")]
    [InlineData("/system/namespace/default", "", "is reserved")]
    [InlineData("/system/namespace/openfaas", "", "is reserved")]
    [InlineData("/system/namespace/Team_A", "", "DNS-1123")]
    [InlineData("/system/namespace/", "{}", "namespace is required")]
    [InlineData("/system/namespace/a", """{"name":"b"}""", "differ")]
    [InlineData("/system/namespace/", "{", "invalid JSON")]
    public async Task BadCreate_Is400(string path, string body, string message)
    {
        using var response = await SendAsync(HttpMethod.Post, path, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_WhileFunctionsOrSecretsRemain_Is409NamingThem()
    {
        _host.CreateArtifact("busy:1");
        Assert.Equal(HttpStatusCode.Created, await StatusAsync(HttpMethod.Post, "/system/namespace/busy-ns", ""));
        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(HttpMethod.Post, "/system/functions", """{"service":"worker","image":"busy:1","namespace":"busy-ns"}"""));
        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(HttpMethod.Post, "/system/secrets", """{"name":"token","value":"t","namespace":"busy-ns"}"""));

        using (var refused = await SendAsync(HttpMethod.Delete, "/system/namespace/busy-ns", ""))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            var message = await refused.Content.ReadAsStringAsync();
            Assert.Contains("functions worker", message, StringComparison.Ordinal);
            Assert.Contains("secrets token", message, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(HttpMethod.Delete, "/system/functions", """{"functionName":"worker","namespace":"busy-ns"}"""));
        using (var stillSecrets = await SendAsync(HttpMethod.Delete, "/system/namespace/busy-ns", ""))
        {
            Assert.Equal(HttpStatusCode.Conflict, stillSecrets.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(HttpMethod.Delete, "/system/secrets", """{"name":"token","namespace":"busy-ns"}"""));
        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(HttpMethod.Delete, "/system/namespace/busy-ns", ""));
    }

    [Fact]
    public async Task SameFunctionAndSecret_InTwoNamespaces_AreIndependent()
    {
        _host.CreateArtifact("twin:1");
        Assert.Equal(HttpStatusCode.Created, await StatusAsync(HttpMethod.Post, "/system/namespace/staging", ""));
        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(HttpMethod.Post, "/system/secrets", """{"name":"conf","value":"prod-value"}"""));
        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(HttpMethod.Post, "/system/secrets", """{"name":"conf","value":"staging-value","namespace":"staging"}"""));
        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(HttpMethod.Post, "/system/functions", """{"service":"twin","image":"twin:1","secrets":["conf"]}"""));
        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(HttpMethod.Post, "/system/functions", """{"service":"twin","image":"twin:1","secrets":["conf"],"namespace":"staging","labels":{"com.openfaas.scale.min":"2"}}"""));

        var prod = JsonSerializer.Deserialize(await Client.GetStringAsync("/system/function/twin"), FaasJsonContext.Default.FunctionStatus)!;
        var staging = JsonSerializer.Deserialize(await Client.GetStringAsync("/system/function/twin?namespace=staging"), FaasJsonContext.Default.FunctionStatus)!;
        Assert.Equal(1UL, prod.Replicas);
        Assert.Equal(2UL, staging.Replicas);
        Assert.Equal("staging", staging.Namespace);

        string ValueSeenBy(string ns) =>
            _host.Launcher.Running.Where(p => p.Spec.Namespace == ns).Select(p => File.ReadAllText(Path.Combine(p.Spec.Environment["secrets_path"], "conf"))).Distinct().Single();
        Assert.Equal("prod-value", ValueSeenBy("openfaas-fn"));
        Assert.Equal("staging-value", ValueSeenBy("staging"));

        // Updating the staging secret leaves the default namespace's copy alone.
        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(HttpMethod.Put, "/system/secrets", """{"name":"conf","value":"staging-2","namespace":"staging"}"""));
        Assert.Equal("staging-2", ValueSeenBy("staging"));
        Assert.Equal("prod-value", ValueSeenBy("openfaas-fn"));

        // Removing one leaves the other.
        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(HttpMethod.Delete, "/system/functions?namespace=staging", """{"functionName":"twin"}"""));
        using var stillThere = await Client.GetAsync("/system/function/twin");
        Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
        var list = JsonSerializer.Deserialize(await Client.GetStringAsync("/system/functions?namespace=staging"), FaasJsonContext.Default.ListFunctionStatus)!;
        Assert.Empty(list);
    }

    [Fact]
    public async Task Namespaces_SurviveARestart()
    {
        var dir = _host.StateDir;
        Assert.Equal(HttpStatusCode.Created, await StatusAsync(HttpMethod.Post, "/system/namespace/kept", """{"labels":{"k":"v"}}"""));

        var reloaded = new FileNamespaceStore(dir);

        Assert.Equal("v", reloaded.Get("kept")!.Labels!["k"]);
    }

    private async Task<List<string>> ListAsync() =>
        JsonSerializer.Deserialize(await Client.GetStringAsync("/system/namespaces"), FaasJsonContext.Default.ListString)!;

    private async Task<FunctionNamespace> GetAsync(string name) =>
        JsonSerializer.Deserialize(await Client.GetStringAsync("/system/namespace/" + name), FaasJsonContext.Default.FunctionNamespace)!;

    private async Task<HttpStatusCode> StatusAsync(HttpMethod method, string path, string body)
    {
        using var response = await SendAsync(method, path, body);
        return response.StatusCode;
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string body) =>
        Client.SendAsync(new HttpRequestMessage(method, path) { Content = body.Length == 0 ? null : new StringContent(body, Encoding.UTF8, "application/json") });
}

using System.Net;
using System.Text;
using System.Text.Json;
using Faas.Contracts.Functions;
using Faas.Contracts.Json;
using Faas.Controller.Tests.Fakes;

namespace Faas.Controller.Tests.SystemApi;

public sealed class ProviderApiTests : IAsyncLifetime
{
    private ControllerHost _host = null!;

    private HttpClient Client => _host.Client;

    public async Task InitializeAsync() => _host = await ControllerHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Deploy_Get_List_Scale_Delete_HappyPath()
    {
        _host.CreateArtifact("hello:1.0");

        using (var deploy = await SendAsync(HttpMethod.Post, "/system/functions", """{"service":"hello","image":"hello:1.0","envVars":{"a":"b"},"labels":{"team":"x"},"annotations":{"note":"y"}}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, deploy.StatusCode);
        }

        var status = await GetStatusAsync("hello");
        Assert.Equal("hello", status.Name);
        Assert.Equal("hello:1.0", status.Image);
        Assert.Equal("openfaas-fn", status.Namespace);
        Assert.Equal("b", status.EnvVars!["a"]);
        Assert.Equal("x", status.Labels!["team"]);
        Assert.Equal("y", status.Annotations!["note"]);
        Assert.Equal(1UL, status.Replicas);
        Assert.True(status.CreatedAt > DateTimeOffset.UtcNow.AddMinutes(-1));
        await TestSupport.WaitUntilAsync(async () => (await GetStatusAsync("hello")).AvailableReplicas == 1, "ready");

        var list = JsonSerializer.Deserialize(await Client.GetStringAsync("/system/functions?namespace=openfaas-fn"), FaasJsonContext.Default.ListFunctionStatus)!;
        Assert.Equal("hello", Assert.Single(list).Name);

        using (var scale = await SendAsync(HttpMethod.Post, "/system/scale-function/hello", """{"serviceName":"hello","replicas":0}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, scale.StatusCode);
        }

        Assert.Equal(0UL, (await GetStatusAsync("hello")).Replicas);

        using (var delete = await SendAsync(HttpMethod.Delete, "/system/functions?namespace=openfaas-fn", """{"functionName":"hello"}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        }

        using var gone = await Client.GetAsync("/system/function/hello");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Update_Existing_IsAccepted()
    {
        _host.CreateArtifact("upd:1");
        _host.CreateArtifact("upd:2");
        (await SendAsync(HttpMethod.Post, "/system/functions", """{"service":"upd","image":"upd:1"}""")).Dispose();

        using var update = await SendAsync(HttpMethod.Put, "/system/functions", """{"service":"upd","image":"upd:2"}""");

        Assert.Equal(HttpStatusCode.Accepted, update.StatusCode);
        Assert.Equal("upd:2", (await GetStatusAsync("upd")).Image);
    }

    [Theory]
    [InlineData("POST", "/system/functions", "{\"service\":", "invalid JSON")]
    [InlineData("POST", "/system/functions", "", "invalid JSON")]
    [InlineData("POST", "/system/functions", "[1,2]", "invalid JSON")]
    [InlineData("PUT", "/system/functions", "not json", "invalid JSON")]
    [InlineData("POST", "/system/functions", "{\"service\":\"Bad_Name\",\"image\":\"x\"}", "DNS-1123")]
    [InlineData("POST", "/system/functions", "{\"service\":\"\",\"image\":\"x\"}", "is required")]
    [InlineData("POST", "/system/functions", "{\"service\":\"noimage\"}", "image is required")]
    [InlineData("POST", "/system/functions", "{\"service\":\"ns\",\"image\":\"x\",\"namespace\":\"other\"}", "namespace 'other' does not exist")]
    [InlineData("POST", "/system/functions", "{\"service\":\"ks\",\"image\":\"x\",\"namespace\":\"kube-system\"}", "kube-system")]
    [InlineData("POST", "/system/functions", "{\"service\":\"lbl\",\"image\":\"x\",\"labels\":{\"com.openfaas.scale.min\":\"many\"}}", "com.openfaas.scale.min 'many'")]
    [InlineData("POST", "/system/functions", "{\"service\":\"sec\",\"image\":\"x\",\"secrets\":[\"db\"]}", "unable to fetch secrets db: no such secret in namespace openfaas-fn")]
    [InlineData("POST", "/system/functions", "{\"service\":\"sec2\",\"image\":\"x\",\"secrets\":[\"Bad_Secret\"]}", "secrets entry 'Bad_Secret' is invalid")]
    [InlineData("POST", "/system/functions", "{\"service\":\"img\",\"image\":\"missing:1\"}", "faas-cli build")]
    [InlineData("DELETE", "/system/functions", "{", "invalid JSON")]
    [InlineData("DELETE", "/system/functions", "{}", "functionName is required")]
    [InlineData("DELETE", "/system/functions?namespace=other", "{\"functionName\":\"x\"}", "namespace 'other' does not exist")]
    [InlineData("POST", "/system/scale-function/x", "{\"replicas\":-1}", "invalid JSON")]
    [InlineData("POST", "/system/scale-function/x", "{\"replicas\":\"three\"}", "invalid JSON")]
    [InlineData("POST", "/system/scale-function/x", "{\"replicas\":1000}", "0 to 100")]
    [InlineData("POST", "/system/scale-function/x?namespace=kube-system", "{\"replicas\":1}", "kube-system")]
    public async Task BadRequests_Are400WithAMessageThatSaysWhatToFix(string method, string path, string body, string expected)
    {
        using var response = await SendAsync(new HttpMethod(method), path, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownImage_NamesWhereItLooked_AndLeavesNothingBehind()
    {
        using var response = await SendAsync(HttpMethod.Post, "/system/functions", """{"service":"nope","image":"ghcr.io/me/nope:2"}""");

        var message = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(Path.Combine(_host.ArtifactStore, "ghcr.io_me_nope_2"), message, StringComparison.Ordinal);
        Assert.Contains("run 'faas-cli build'", message, StringComparison.Ordinal);
        Assert.Empty(_host.Launcher.Launched);
        Assert.False(File.Exists(Path.Combine(_host.StateDir, "functions.json")) && File.ReadAllText(Path.Combine(_host.StateDir, "functions.json")).Contains("nope", StringComparison.Ordinal));
        using var get = await Client.GetAsync("/system/function/nope");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task UnknownFunction_Get_Is404WithEmptyBody()
    {
        using var response = await Client.GetAsync("/system/function/nobody");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UnknownFunction_PutDeleteScale_Are404()
    {
        _host.CreateArtifact("x:latest");

        using var put = await SendAsync(HttpMethod.Put, "/system/functions", """{"service":"nobody","image":"x"}""");
        using var delete = await SendAsync(HttpMethod.Delete, "/system/functions", """{"functionName":"nobody"}""");
        using var scale = await SendAsync(HttpMethod.Post, "/system/scale-function/nobody", """{"replicas":1}""");

        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, scale.StatusCode);
        Assert.Contains("nobody", await delete.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DuplicatePost_Is409()
    {
        _host.CreateArtifact("twice:latest");
        (await SendAsync(HttpMethod.Post, "/system/functions", """{"service":"twice","image":"twice"}""")).Dispose();

        using var again = await SendAsync(HttpMethod.Post, "/system/functions", """{"service":"twice","image":"twice"}""");

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("already exists", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scale_TakesTheNamespaceFromBodyOrQuery()
    {
        _host.CreateArtifact("nsq:latest");
        (await SendAsync(HttpMethod.Post, "/system/functions", """{"service":"nsq","image":"nsq"}""")).Dispose();

        using var byQuery = await SendAsync(HttpMethod.Post, "/system/scale-function/nsq?namespace=openfaas-fn", """{"replicas":2}""");
        using var byBody = await SendAsync(HttpMethod.Post, "/system/scale-function/nsq", """{"serviceName":"nsq","replicas":3,"namespace":"openfaas-fn"}""");
        using var wrongBody = await SendAsync(HttpMethod.Post, "/system/scale-function/nsq", """{"replicas":3,"namespace":"elsewhere"}""");

        Assert.Equal(HttpStatusCode.Accepted, byQuery.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, byBody.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrongBody.StatusCode);
        Assert.Equal(3UL, (await GetStatusAsync("nsq")).Replicas);
    }

    [Fact]
    public async Task WrongNamespace_OnListAndGet_Is400()
    {
        using var list = await Client.GetAsync("/system/functions?namespace=other");
        using var get = await Client.GetAsync("/system/function/x?namespace=kube-system");

        Assert.Equal(HttpStatusCode.BadRequest, list.StatusCode);
        Assert.StartsWith("namespace 'other' does not exist: create it first", await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, get.StatusCode);
    }

    [Fact]
    public async Task Info_Namespaces_Healthz()
    {
        var info = JsonSerializer.Deserialize(await Client.GetStringAsync("/system/info"), FaasJsonContext.Default.ProviderInfo)!;
        var namespaces = JsonSerializer.Deserialize(await Client.GetStringAsync("/system/namespaces"), FaasJsonContext.Default.ListString)!;
        using var health = await Client.GetAsync("/healthz");

        Assert.Equal("faas-controller", info.Provider);
        Assert.Equal("process", info.Orchestration);
        Assert.Equal("0.1.0", info.Version!.Release);
        Assert.Equal(["openfaas-fn"], namespaces);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private async Task<FunctionStatus> GetStatusAsync(string name) =>
        JsonSerializer.Deserialize(await Client.GetStringAsync("/system/function/" + name), FaasJsonContext.Default.FunctionStatus)!;

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string body) =>
        Client.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
}

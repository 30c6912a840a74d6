using System.Net.Http.Json;
using System.Text.Json;
using Faas.Contracts.Json;
using Faas.Contracts.Logs;
using Faas.Gateway.SystemApi;
using Faas.Gateway.Tests.Fakes;

namespace Faas.Gateway.Tests.SystemApi;

/// <summary>The <c>/system/*</c> passthrough, <c>/system/info</c> and basic auth, against a fake controller.</summary>
public sealed class SystemApiTests
{
    [Fact]
    public async Task SystemFunctions_WithoutCredentials_Returns401WithBasicChallenge()
    {
        using var secrets = new SecretFolder("admin", "s3cret");
        await using var controller = await FakeController.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(controller.Url, secrets.Settings);

        using var response = await gateway.Client.GetAsync("/system/functions");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic realm=\"Restricted\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("invalid credentials", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(controller.Calls, c => c.PathAndQuery.StartsWith("/system/functions", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("admin", "wrong")]
    [InlineData("root", "s3cret")]
    [InlineData("admin", "s3cret2")]
    [InlineData("admin", "")]
    public async Task SystemFunctions_WithWrongCredentials_Returns401(string user, string password)
    {
        using var secrets = new SecretFolder("admin", "s3cret");
        await using var controller = await FakeController.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(controller.Url, secrets.Settings);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/system/functions");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task SystemFunctions_WithCredentials_IsForwardedWithCredentialsInjected()
    {
        using var secrets = new SecretFolder("admin", "s3cret");
        await using var replica = await FakeReplica.StartAsync("echo-1");
        await using var controller = await FakeController.StartAsync();
        controller.RequiredAuthorization = secrets.AuthorizationValue;
        controller.SetFunctions(FakeController.Function("echo", replica));
        await using var gateway = await GatewayHost.StartAsync(controller.Url, secrets.Settings);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/system/functions?namespace=openfaas-fn");
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(secrets.AuthorizationValue);
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var functions = await response.Content.ReadFromJsonAsync(FaasJsonContext.Default.ListFunctionStatus);
        Assert.Equal("echo", Assert.Single(functions!).Name);
        Assert.Contains(controller.Calls, c => c.PathAndQuery == "/system/functions?namespace=openfaas-fn");
        // The endpoint stream subscription carries the credentials too.
        Assert.All(controller.Calls, c => Assert.Equal(secrets.AuthorizationValue, c.Authorization));
    }

    [Fact]
    public async Task SystemFunctions_Post_ForwardsMethodBodyQueryAndStatus()
    {
        await using var controller = await FakeController.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(controller.Url);

        using var response = await gateway.Client.PostAsync("/system/functions?x=1", new StringContent("{\"service\":\"echo\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("POST 18 bytes?x=1", await response.Content.ReadAsStringAsync());
        var call = Assert.Single(controller.Calls, c => c.Method == "POST");
        Assert.Equal("{\"service\":\"echo\"}", call.Body);
    }

    [Fact]
    public async Task SystemApi_ControllerStatusCodes_PassThrough()
    {
        await using var controller = await FakeController.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(controller.Url);

        using var response = await gateway.Client.GetAsync("/system/function/missing?namespace=openfaas-fn");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(response.Headers.Contains("X-OpenFaaS-Internal"));
    }

    [Fact]
    public async Task SystemInfo_WrapsTheControllersInfo_WithGatewayVersionAndArch()
    {
        using var secrets = new SecretFolder("admin", "s3cret");
        await using var controller = await FakeController.StartAsync();
        controller.RequiredAuthorization = secrets.AuthorizationValue;
        await using var gateway = await GatewayHost.StartAsync(controller.Url, secrets.Settings);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/system/info");
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(secrets.AuthorizationValue);
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var info = (await response.Content.ReadFromJsonAsync(FaasJsonContext.Default.GatewayInfo))!;
        Assert.Equal("faas-controller", info.Provider!.Provider);
        Assert.Equal("process", info.Provider.Orchestration);
        Assert.Equal("9.9.9", info.Provider.Version!.Release);
        Assert.Equal(SystemInfo.GatewayVersion.Release, info.Version!.Release);
        Assert.False(string.IsNullOrEmpty(info.Version.Release));
        Assert.Contains(info.Arch, new[] { "x86_64", "aarch64" });
    }

    [Fact]
    public async Task SystemInfo_WithoutCredentials_Returns401()
    {
        using var secrets = new SecretFolder("admin", "s3cret");
        await using var controller = await FakeController.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(controller.Url, secrets.Settings);

        using var response = await gateway.Client.GetAsync("/system/info");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task SystemLogs_StreamsEachLine_BeforeTheControllerFinishes()
    {
        await using var controller = await FakeController.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(controller.Url);

        using var response = await gateway.Client.GetAsync("/system/logs?name=echo&follow=true", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        // The controller holds its second line until released: the first must already be here.
        var first = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("first", JsonSerializer.Deserialize(first!, FaasJsonContext.Default.LogMessage)!.Text);

        controller.ReleaseLogs();
        var second = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("second", JsonSerializer.Deserialize(second!, FaasJsonContext.Default.LogMessage)!.Text);
        Assert.Null(await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains(controller.Calls, c => c.PathAndQuery == "/system/logs?name=echo&follow=true");
    }

    [Theory]
    [InlineData("/system/functions")]
    [InlineData("/system/info")]
    public async Task SystemApi_ControllerUnreachable_Returns502NamingTheController(string path)
    {
        var closed = LocalServer.ClosedPortUrl();
        await using var gateway = await GatewayHost.StartAsync(closed);

        using var response = await gateway.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.StartsWith($"the controller at {closed} is unreachable", await response.Content.ReadAsStringAsync());
        Assert.Equal("gateway", Assert.Single(response.Headers.GetValues("X-OpenFaaS-Internal")));
    }

    [Fact]
    public async Task Invoke_ControllerUnreachableForUnknownFunction_Returns502()
    {
        var closed = LocalServer.ClosedPortUrl();
        await using var gateway = await GatewayHost.StartAsync(closed);

        using var response = await gateway.Client.GetAsync("/function/echo");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains($"the controller at {closed} is unreachable", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Healthz_AnswersOk_WithoutCredentials()
    {
        using var secrets = new SecretFolder("admin", "s3cret");
        await using var controller = await FakeController.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(controller.Url, secrets.Settings);

        using var response = await gateway.Client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("OK", await response.Content.ReadAsStringAsync());
    }
}

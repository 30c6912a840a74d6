using System.Net;
using System.Text;
using System.Text.Json;
using Faas.Contracts.Json;
using Faas.Controller.Tests.Fakes;
using Microsoft.Extensions.Logging;

namespace Faas.Controller.Tests.Secrets;

/// <summary><c>/system/secrets</c> on the process backend: codes, storage, delivery to replicas, and no value ever shown.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SecretsApiTests : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    private ControllerHost _host = null!;

    private HttpClient Client => _host.Client;

    public async Task InitializeAsync() => _host = await ControllerHost.StartAsync(
        extraArgs: ["--Logging:LogLevel:Default=Debug"],
        services: s => s.AddSingleton<ILoggerProvider>(_logs));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Lifecycle_CreateListUpdateDelete_WithOpenFaaSCodes()
    {
        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(HttpMethod.Post, """{"name":"db-password","value":"first"}"""));
        Assert.Equal(HttpStatusCode.Conflict, await StatusAsync(HttpMethod.Post, """{"name":"db-password","value":"again"}"""));

        var listed = await ListAsync();
        var entry = Assert.Single(listed);
        Assert.Equal("db-password", entry.Name);
        Assert.Equal("openfaas-fn", entry.Namespace);
        Assert.Null(entry.Value);
        Assert.Null(entry.RawValue);

        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(HttpMethod.Put, """{"name":"db-password","value":"second"}"""));
        Assert.Equal("second", File.ReadAllText(StoredPath("openfaas-fn", "db-password")));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(HttpMethod.Put, """{"name":"nobody","value":"x"}"""));

        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(HttpMethod.Delete, """{"name":"db-password"}"""));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(HttpMethod.Delete, """{"name":"db-password"}"""));
        Assert.Empty(await ListAsync());
    }

    [Fact]
    public async Task Storage_IsPrivateToThePlatformUser_AndRawValueKeepsExactBytes()
    {
        byte[] bytes = [0, 1, 2, 255, 10, 13];
        var body = JsonSerializer.Serialize(new Contracts.Secrets.Secret { Name = "blob", RawValue = bytes }, FaasJsonContext.Default.Secret);
        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(HttpMethod.Post, body));

        var path = StoredPath("openfaas-fn", "blob");
        Assert.Equal(bytes, File.ReadAllBytes(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var owner = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Assert.Equal(owner, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        Assert.Equal(owner, File.GetUnixFileMode(Path.Combine(_host.StateDir, "secret-values")));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, ".*")); // no temp file left
    }

    [Theory]
    [InlineData("POST", """{"name":"Bad_Name","value":"x"}""", HttpStatusCode.BadRequest, "DNS-1123")]
    [InlineData("POST", """{"name":"","value":"x"}""", HttpStatusCode.BadRequest, "secret name is required")]
    [InlineData("POST", """{"name":"empty"}""", HttpStatusCode.BadRequest, "the secret value is empty")]
    [InlineData("POST", """{"name":"empty","value":"","rawValue":""}""", HttpStatusCode.BadRequest, "the secret value is empty")]
    [InlineData("PUT", """{"name":"empty","value":""}""", HttpStatusCode.BadRequest, "the secret value is empty")]
    [InlineData("POST", """{"name":"x","value":"v","namespace":"nowhere"}""", HttpStatusCode.BadRequest, "namespace 'nowhere' does not exist")]
    [InlineData("POST", """{"name":"x","value":"v","namespace":"kube-system"}""", HttpStatusCode.BadRequest, "namespace 'kube-system' is reserved")]
    [InlineData("DELETE", """{"name":"x","namespace":"kube-system"}""", HttpStatusCode.BadRequest, "is reserved")]
    [InlineData("POST", """{"name":"x","rawValue":"not base64!"}""", HttpStatusCode.BadRequest, "invalid JSON")]
    [InlineData("POST", "{", HttpStatusCode.BadRequest, "invalid JSON")]
    public async Task BadInput_IsAClear4xx(string method, string body, HttpStatusCode expected, string message)
    {
        using var response = await SendAsync(new HttpMethod(method), body);

        Assert.Equal(expected, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValueOver1MiB_Is413_AndExactly1MiB_IsAccepted()
    {
        var limit = new string('a', 1024 * 1024);
        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(HttpMethod.Post, $$"""{"name":"big","value":"{{limit}}"}"""));

        using var response = await SendAsync(HttpMethod.Post, $$"""{"name":"bigger","value":"{{limit}}b"}""");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("1048577 bytes; at most 1048576 bytes (1 MiB)", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("bigger", (await ListAsync()).Select(s => s.Name));
    }

    [Fact]
    public async Task ListWithUnknownNamespace_Is400()
    {
        using var response = await Client.GetAsync("/system/secrets?namespace=nowhere");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("does not exist", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_DeliversOnlyListedSecrets_UpdateIsLive_InUseDeleteIs409()
    {
        _host.CreateArtifact("reader:1");
        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(HttpMethod.Post, """{"name":"api-key","value":"v1"}"""));
        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(HttpMethod.Post, """{"name":"other-key","value":"not for reader"}"""));

        using (var deploy = await SendAsync(HttpMethod.Post, """{"service":"reader","image":"reader:1","secrets":["api-key"]}""", "/system/functions"))
        {
            Assert.Equal(HttpStatusCode.Accepted, deploy.StatusCode);
        }

        var replica = Assert.Single(_host.Launcher.Running, p => p.Spec.FunctionName == "reader");
        var folder = replica.Spec.Environment["secrets_path"];
        Assert.StartsWith(Path.Combine(_host.StateDir, "secrets", "openfaas-fn", "reader"), folder, StringComparison.Ordinal);
        Assert.Equal(["api-key"], Directory.GetFiles(folder).Select(Path.GetFileName));
        Assert.Equal("v1", File.ReadAllText(Path.Combine(folder, "api-key")));
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(Path.Combine(folder, "api-key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));

        // Live update: the running replica's copy changes, no new replica.
        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(HttpMethod.Put, """{"name":"api-key","value":"v2"}"""));
        Assert.Equal("v2", File.ReadAllText(Path.Combine(folder, "api-key")));
        Assert.Single(_host.Launcher.Launched, p => p.Spec.FunctionName == "reader");

        using (var inUse = await SendAsync(HttpMethod.Delete, """{"name":"api-key"}"""))
        {
            Assert.Equal(HttpStatusCode.Conflict, inUse.StatusCode);
            Assert.Contains("used by function reader in namespace openfaas-fn", await inUse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(HttpMethod.Delete, """{"name":"other-key"}"""));
        using (var remove = await SendAsync(HttpMethod.Delete, """{"functionName":"reader"}""", "/system/functions"))
        {
            Assert.Equal(HttpStatusCode.Accepted, remove.StatusCode);
        }

        Assert.False(Directory.Exists(Path.Combine(_host.StateDir, "secrets", "openfaas-fn", "reader")));
        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(HttpMethod.Delete, """{"name":"api-key"}"""));
    }

    [Fact]
    public async Task DeployListingAMissingSecret_Is400NamingIt_AndStartsNothing()
    {
        _host.CreateArtifact("needs:1");
        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(HttpMethod.Post, """{"name":"present","value":"x"}"""));

        using var deploy = await SendAsync(HttpMethod.Post, """{"service":"needs","image":"needs:1","secrets":["present","absent"]}""", "/system/functions");

        Assert.Equal(HttpStatusCode.BadRequest, deploy.StatusCode);
        var message = await deploy.Content.ReadAsStringAsync();
        Assert.Contains("unable to fetch secrets absent", message, StringComparison.Ordinal);
        Assert.DoesNotContain("present", message, StringComparison.Ordinal);
        Assert.Empty(_host.Launcher.Launched);
    }

    [Fact]
    public async Task UpdatingAFunction_ToListAMissingSecret_Is400()
    {
        _host.CreateArtifact("upd:1");
        (await SendAsync(HttpMethod.Post, """{"service":"upd","image":"upd:1"}""", "/system/functions")).Dispose();

        using var update = await SendAsync(HttpMethod.Put, """{"service":"upd","image":"upd:1","secrets":["ghost"]}""", "/system/functions");

        Assert.Equal(HttpStatusCode.BadRequest, update.StatusCode);
        Assert.Contains("unable to fetch secrets ghost", await update.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Values_NeverAppearInListingsErrorsOrLogs()
    {
        const string value = "s3cr3t-VALUE-7f2c";
        var responses = new List<string>();
        async Task Record(HttpMethod method, string body, string path = "/system/secrets")
        {
            using var response = await SendAsync(method, body, path);
            responses.Add(await response.Content.ReadAsStringAsync());
        }

        await Record(HttpMethod.Post, $$"""{"name":"hidden","value":"{{value}}"}""");
        await Record(HttpMethod.Post, $$"""{"name":"hidden","value":"{{value}}"}""");          // 409
        await Record(HttpMethod.Post, $$"""{"name":"Bad_Name","value":"{{value}}"}""");        // 400
        await Record(HttpMethod.Post, $$"""{"name":"x","value":"{{value}}","namespace":"no"}"""); // 400
        await Record(HttpMethod.Put, $$"""{"name":"ghost","value":"{{value}}"}""");            // 404
        await Record(HttpMethod.Put, $$"""{"name":"hidden","value":"{{value}}2"}""");
        responses.Add(await Client.GetStringAsync("/system/secrets"));

        Assert.All(responses, r => Assert.DoesNotContain(value, r, StringComparison.Ordinal));
        Assert.NotEmpty(_logs.Lines);
        Assert.Contains(_logs.Lines, l => l.Contains("hidden", StringComparison.Ordinal)); // the name is logged
        Assert.All(_logs.Lines, l => Assert.DoesNotContain(value, l, StringComparison.Ordinal));
    }

    private string StoredPath(string ns, string name) => Path.Combine(_host.StateDir, "secret-values", ns, name);

    private async Task<List<Contracts.Secrets.Secret>> ListAsync(string? ns = null) =>
        JsonSerializer.Deserialize(await Client.GetStringAsync("/system/secrets" + (ns is null ? "" : "?namespace=" + ns)), FaasJsonContext.Default.ListSecret)!;

    private async Task<HttpStatusCode> StatusAsync(HttpMethod method, string body)
    {
        using var response = await SendAsync(method, body);
        return response.StatusCode;
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string body, string path = "/system/secrets") =>
        Client.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
}

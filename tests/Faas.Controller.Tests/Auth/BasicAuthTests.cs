using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Faas.Controller.Tests.Fakes;

namespace Faas.Controller.Tests.Auth;

public sealed class BasicAuthTests : IAsyncLifetime
{
    private ControllerHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await ControllerHost.StartAsync(
            ["--basic_auth=true", "--secret_mount_path=SECRETS"],
            prepare: dir =>
            {
                Directory.CreateDirectory(dir.Combine("secrets"));
                File.WriteAllText(dir.Combine("secrets", "basic-auth-user"), "admin\n");
                File.WriteAllText(dir.Combine("secrets", "basic-auth-password"), " s3cret \n");
            },
            argsFixup: (args, dir) => args.Select(a => a.Replace("SECRETS", dir.Combine("secrets"), StringComparison.Ordinal)).ToArray());
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task WithoutCredentials_Is401WithRealmAndBody()
    {
        using var response = await _host.Client.GetAsync("/system/functions");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic realm=\"Restricted\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("invalid credentials", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task WrongPassword_Is401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/system/info");
        request.Headers.Authorization = Basic("admin", "wrong");

        using var response = await _host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task RightCredentials_Pass_TrimmedFromTheFiles()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/system/functions");
        request.Headers.Authorization = Basic("admin", "s3cret");

        using var response = await _host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Healthz_IsOpen_ButTheEndpointStreamIsNot()
    {
        using var health = await _host.Client.GetAsync("/healthz");
        using var endpoints = await _host.Client.GetAsync("/system/endpoints", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, endpoints.StatusCode);
    }

    [Fact]
    public async Task Metrics_IsOpenForPrometheus_OnlyForGet()
    {
        using var metrics = await _host.Client.GetAsync("/metrics");
        using var post = await _host.Client.PostAsync("/metrics", new StringContent(""));

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal("text/plain", metrics.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}

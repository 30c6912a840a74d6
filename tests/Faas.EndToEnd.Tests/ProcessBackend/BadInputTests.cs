using System.Net;
using System.Text;
using Faas.EndToEnd.Tests.Infrastructure;

namespace Faas.EndToEnd.Tests.ProcessBackend;

/// <summary>Bad input through the whole stack gets a clear answer and leaves nothing behind.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private Platform _platform = null!;

    public async Task InitializeAsync()
    {
        _platform = await Platform.StartAsync("badinput");
        await _platform.LoginAsync();
    }

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task UnknownFunction_Is404WithAMessage()
    {
        using var response = await _platform.Http.PostAsync("/function/nope", new StringContent("x"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("nope", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SystemApi_WithoutCredentials_Is401()
    {
        using var response = await _platform.Http.GetAsync("/system/functions");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task DeployOfAnImageThatWasNeverBuilt_FailsAndLeavesNothing()
    {
        var result = await _platform.RunCliAsync(["deploy", "--image", "never-built:1.0", "--name", "ghost"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("faas-cli build", result.Stdout + result.Stderr);
        using var status = await _platform.Admin.GetAsync("/system/function/ghost");
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
    }

    [Fact]
    public async Task DeployWithAnInvalidName_Is400SayingWhy()
    {
        using var response = await _platform.Admin.PostAsync(
            "/system/functions",
            new StringContent("""{"service":"Bad_Name","image":"x:1"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("DNS-1123", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task MalformedJson_Is400()
    {
        using var response = await _platform.Admin.PostAsync("/system/functions", new StringContent("{\"service\":", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task StackWithAnUnknownKey_IsRefusedByTheCli()
    {
        await File.WriteAllTextAsync(Path.Combine(_platform.ProjectDir, "typo.yml"), """
            version: 1.0
            provider:
              name: openfaas
            functions:
              typo:
                lang: csharp
                handler: ./typo
                image: typo:latest
                enviroment:
                  a: b
            """);
        Directory.CreateDirectory(Path.Combine(_platform.ProjectDir, "typo"));

        var result = await _platform.RunCliAsync(["deploy", "-f", "typo.yml"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("enviroment", result.Stdout + result.Stderr);
    }
}

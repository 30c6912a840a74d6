using System.Net;
using Faas.Cli.Tests.Support;

namespace Faas.Cli.Tests.Commands;

public class ScaleCommandTests
{
    [Fact]
    public async Task Scale_PostsTheDesiredReplicas()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("POST", "/system/scale-function/echo", HttpStatusCode.Accepted);

        var result = await runner.RunAsync("scale", "echo", "--replicas", "3", "-n", "staging");

        Assert.Equal(0, result.ExitCode);
        var request = Assert.Single(runner.Gateway.Requests);
        Assert.Equal("""{"serviceName":"echo","replicas":3,"namespace":"staging"}""", request.Body);
        Assert.Contains("Scaling echo.staging to 3 replica(s).", result.Out);
    }

    [Fact]
    public async Task Scale_UnknownFunction_ExitsOne_AndMissingReplicasExitsTwo()
    {
        using var runner = new CliRunner();

        Assert.Equal(1, (await runner.RunAsync("scale", "missing", "--replicas", "0")).ExitCode);
        var usage = await runner.RunAsync("scale", "echo");
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("--replicas", usage.Err);
    }
}

public class VersionCommandTests
{
    [Fact]
    public async Task Version_Short_PrintsOnlyTheCliVersion()
    {
        using var runner = new CliRunner();

        var result = await runner.RunAsync("version", "--short-version");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+\S*\r?\n$", result.Out);
        Assert.Empty(runner.Gateway.Requests);
    }

    [Fact]
    public async Task Version_PrintsGatewayAndProviderInfo()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("GET", "/system/info", _ => FakeGateway.Json("""
            {"provider":{"provider":"faas-controller","orchestration":"process","version":{"release":"0.1.0","sha":"abc"}},
             "version":{"release":"0.1.0","sha":"def"},"arch":"x86_64"}
            """));

        var result = await runner.RunAsync("version");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("CLI:", result.Out);
        Assert.Contains(" uri:     http://127.0.0.1:8080", result.Out);
        Assert.Contains(" sha:     def", result.Out);
        Assert.Contains(" name:          faas-controller", result.Out);
        Assert.Contains(" orchestration: process", result.Out);
    }

    [Fact]
    public async Task Version_WithoutGateway_StillSucceeds()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("GET", "/system/info", HttpStatusCode.InternalServerError, "boom");

        var result = await runner.RunAsync("version");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("version:", result.Out);
        Assert.Contains("500", result.Err);
    }
}

public class PushCommandTests
{
    [Fact]
    public async Task Push_ImagesWithoutARegistry_SaysSoPerFunctionAndSucceeds()
    {
        using var runner = new CliRunner();
        runner.Write("stack.yml", """
            version: 1.0
            provider:
              name: openfaas
            functions:
              plain:
                lang: csharp
                handler: ./plain
                image: plain:latest
              org:
                lang: csharp
                handler: ./org
                image: myorg/org:1.0
            """);

        var result = await runner.RunAsync("push");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("[plain] plain:latest names no registry", result.Out);
        Assert.Contains("[org] myorg/org:1.0 names no registry", result.Out);
        Assert.Contains("No container registry is configured", result.Out);
        Assert.Contains("no push is needed", result.Out);
    }

    [Fact]
    public async Task Push_FilterSelectsFunctions()
    {
        using var runner = new CliRunner();
        runner.Write("stack.yml", """
            version: 1.0
            provider:
              name: openfaas
            functions:
              plain:
                lang: csharp
                handler: ./plain
                image: plain:latest
              other:
                lang: csharp
                handler: ./other
                image: other:latest
            """);

        var result = await runner.RunAsync("push", "--filter", "other");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("[other]", result.Out);
        Assert.DoesNotContain("[plain]", result.Out);
    }

    [Fact]
    public async Task Push_WithoutAStackFile_Fails()
    {
        using var runner = new CliRunner();

        var result = await runner.RunAsync("push");

        Assert.NotEqual(0, result.ExitCode);
    }
}

using System.Net;
using System.Text.Json;
using Faas.Cli.Tests.Support;

namespace Faas.Cli.Tests.Commands;

public class DeployCommandTests
{
    private const string Stack = """
        version: 1.0
        provider:
          name: openfaas
          gateway: http://127.0.0.1:8080
        functions:
          echo:
            lang: csharp
            handler: ./echo
            image: echo:latest
            fprocess: dotnet Function.dll
            environment:
              mode: fast
            secrets: [api-key]
            labels:
              com.openfaas.scale.min: "1"
            annotations:
              topic: orders
            limits:
              memory: 128Mi
            readonly_root_filesystem: true
        """;

    [Fact]
    public async Task Deploy_PutsFirstAndPostsWhenTheFunctionDoesNotExist()
    {
        using var runner = new CliRunner();
        runner.Write("stack.yml", Stack);
        runner.Gateway.On("PUT", "/system/functions", HttpStatusCode.NotFound)
            .On("POST", "/system/functions", HttpStatusCode.Accepted);

        var result = await runner.RunAsync("deploy", "-e", "extra=1", "-l", "team=a", "--annotation", "note=x");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["PUT", "POST"], runner.Gateway.Requests.Select(r => r.Method));
        Assert.Contains("Deploying: echo.", result.Out);
        Assert.Contains("Deployed. 202 Accepted.", result.Out);
        Assert.Contains("URL: http://127.0.0.1:8080/function/echo", result.Out);

        using var body = JsonDocument.Parse(runner.Gateway.Requests[1].Body);
        var root = body.RootElement;
        Assert.Equal("echo", root.GetProperty("service").GetString());
        Assert.Equal("echo:latest", root.GetProperty("image").GetString());
        Assert.Equal("dotnet Function.dll", root.GetProperty("envProcess").GetString());
        Assert.Equal("fast", root.GetProperty("envVars").GetProperty("mode").GetString());
        Assert.Equal("1", root.GetProperty("envVars").GetProperty("extra").GetString());
        Assert.Equal("1", root.GetProperty("labels").GetProperty("com.openfaas.scale.min").GetString());
        Assert.Equal("a", root.GetProperty("labels").GetProperty("team").GetString());
        Assert.Equal("orders", root.GetProperty("annotations").GetProperty("topic").GetString());
        Assert.Equal("x", root.GetProperty("annotations").GetProperty("note").GetString());
        Assert.Equal("api-key", root.GetProperty("secrets")[0].GetString());
        Assert.Equal("128Mi", root.GetProperty("limits").GetProperty("memory").GetString());
        Assert.True(root.GetProperty("readOnlyRootFilesystem").GetBoolean());
        Assert.False(root.TryGetProperty("namespace", out _));
        Assert.Equal(runner.Gateway.Requests[0].Body, runner.Gateway.Requests[1].Body);
    }

    [Fact]
    public async Task Deploy_UpdatesAnExistingFunctionWithPutOnly()
    {
        using var runner = new CliRunner();
        runner.Write("stack.yml", Stack);
        runner.Gateway.On("PUT", "/system/functions", HttpStatusCode.Accepted);

        var result = await runner.RunAsync("deploy");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["PUT"], runner.Gateway.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task Deploy_Replace_DeletesFirst_AndUpdateFalsePostsOnly()
    {
        using var runner = new CliRunner();
        runner.Write("stack.yml", Stack);
        runner.Gateway.On("DELETE", "/system/functions", HttpStatusCode.Accepted)
            .On("POST", "/system/functions", HttpStatusCode.Accepted);

        var result = await runner.RunAsync("deploy", "--replace", "--update=false");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["DELETE", "POST"], runner.Gateway.Requests.Select(r => r.Method));
        Assert.Equal("""{"functionName":"echo"}""", runner.Gateway.Requests[0].Body);
        Assert.Contains("Removing old function.", result.Out);
    }

    [Fact]
    public async Task Deploy_WithImageAndName_NeedsNoStackFile()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("PUT", "/system/functions", HttpStatusCode.NotFound)
            .On("POST", "/system/functions", HttpStatusCode.Accepted);

        var result = await runner.RunAsync(
            "deploy", "--image", "me/fn:1.0", "--name", "fn", "-n", "staging", "--fprocess", "dotnet x.dll",
            "--env", "A=1", "--label", "l=v", "--annotation", "a=b", "--secret", "s1", "--readonly", "--constraint", "zone=a",
            "--cpu-request", "100m", "-g", "http://gw.example:9999/");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("URL: http://gw.example:9999/function/fn.staging", result.Out);
        Assert.All(runner.Gateway.Requests, r => Assert.Equal("http://gw.example:9999", r.Authority));
        using var body = JsonDocument.Parse(runner.Gateway.Requests[^1].Body);
        var root = body.RootElement;
        Assert.Equal("fn", root.GetProperty("service").GetString());
        Assert.Equal("me/fn:1.0", root.GetProperty("image").GetString());
        Assert.Equal("staging", root.GetProperty("namespace").GetString());
        Assert.Equal("dotnet x.dll", root.GetProperty("envProcess").GetString());
        Assert.Equal("1", root.GetProperty("envVars").GetProperty("A").GetString());
        Assert.Equal("v", root.GetProperty("labels").GetProperty("l").GetString());
        Assert.Equal("b", root.GetProperty("annotations").GetProperty("a").GetString());
        Assert.Equal("s1", root.GetProperty("secrets")[0].GetString());
        Assert.Equal("zone=a", root.GetProperty("constraints")[0].GetString());
        Assert.Equal("100m", root.GetProperty("requests").GetProperty("cpu").GetString());
        Assert.True(root.GetProperty("readOnlyRootFilesystem").GetBoolean());
    }

    [Fact]
    public async Task Deploy_GatewayComesFromTheStackFileBeforeOpenFaaSUrl_AsFaasCli()
    {
        using var runner = new CliRunner();
        runner.Write("stack.yml", Stack);
        runner.Environment["OPENFAAS_URL"] = "from-env:7000";
        runner.Gateway.On("PUT", "/system/functions", HttpStatusCode.Accepted);

        // The stack file names the default gateway: that counts as unset, so OPENFAAS_URL applies.
        Assert.Equal(0, (await runner.RunAsync("deploy")).ExitCode);
        Assert.Equal("http://from-env:7000", runner.Gateway.Requests[^1].Authority);

        runner.Write("stack.yml", Stack.Replace("http://127.0.0.1:8080", "http://from-stack:8080"));
        Assert.Equal(0, (await runner.RunAsync("deploy")).ExitCode);
        Assert.Equal("http://from-stack:8080", runner.Gateway.Requests[^1].Authority);

        Assert.Equal(0, (await runner.RunAsync("deploy", "--gateway", "http://from-flag:1")).ExitCode);
        Assert.Equal("http://from-flag:1", runner.Gateway.Requests[^1].Authority);
    }

    [Fact]
    public async Task Deploy_ReportsTheGatewayErrorAndExitsOne()
    {
        using var runner = new CliRunner();
        runner.Write("stack.yml", Stack);
        runner.Gateway.On("PUT", "/system/functions", HttpStatusCode.BadRequest, "image 'echo:latest' was not found in the artifact store");

        var result = await runner.RunAsync("deploy");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Server returned unexpected status code: 400 - image 'echo:latest' was not found in the artifact store", result.Err);
    }

    [Fact]
    public async Task Deploy_Filter_DeploysOnlyMatchingFunctions()
    {
        using var runner = new CliRunner();
        runner.Write("stack.yml", Stack + "\n  other:\n    image: other:latest\n");
        runner.Gateway.On("PUT", "/system/functions", HttpStatusCode.Accepted);

        var result = await runner.RunAsync("deploy", "--filter", "oth*");

        Assert.Equal(0, result.ExitCode);
        var request = Assert.Single(runner.Gateway.Requests);
        Assert.Contains("\"service\":\"other\"", request.Body);
    }

    [Theory]
    [InlineData("deploy", "--image", "fn:latest")]
    [InlineData("deploy", "--image", "fn:latest", "--name", "fn", "--env", "novalue")]
    public async Task Deploy_UsageErrors_ExitTwo(params string[] args)
    {
        using var runner = new CliRunner();

        var result = await runner.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(runner.Gateway.Requests);
    }

    [Fact]
    public async Task Deploy_WithoutStackFile_SaysWhatToDo()
    {
        using var runner = new CliRunner();

        var result = await runner.RunAsync("deploy");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no stack file found", result.Err);
    }
}

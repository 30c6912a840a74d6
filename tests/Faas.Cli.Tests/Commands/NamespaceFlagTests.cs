using System.Net;
using System.Text.Json;
using Faas.Cli.Tests.Support;

namespace Faas.Cli.Tests.Commands;

/// <summary>-n/--namespace reaches the gateway where OpenFaaS clients put it, on every command that takes it.</summary>
public class NamespaceFlagTests
{
    private static CliRunner Runner()
    {
        var runner = new CliRunner();
        runner.Gateway
            .On("GET", "/system/functions", _ => FakeGateway.Json("[]"))
            .On("GET", "/system/function/echo", _ => FakeGateway.Json("""{"name":"echo","image":"echo:latest","replicas":1,"availableReplicas":1}"""))
            .On("DELETE", "/system/functions", HttpStatusCode.Accepted)
            .On("POST", "/system/scale-function/echo", HttpStatusCode.Accepted)
            .On("PUT", "/system/functions", HttpStatusCode.Accepted)
            .On("POST", "/function/echo.team-a", HttpStatusCode.OK, "hi")
            .On("GET", "/system/logs", _ => FakeGateway.Response(HttpStatusCode.OK, "", "application/x-ndjson"));
        return runner;
    }

    [Theory]
    [InlineData("/system/functions?namespace=team-a", "list", "-n", "team-a")]
    [InlineData("/system/function/echo?namespace=team-a", "describe", "echo", "--namespace", "team-a")]
    [InlineData("/system/function/echo?namespace=team-a", "ready", "echo", "-n", "team-a", "--attempts", "1")]
    [InlineData("/function/echo.team-a", "invoke", "echo", "-n", "team-a")]
    [InlineData("/system/scale-function/echo?namespace=team-a", "scale", "echo", "--replicas", "2", "-n", "team-a")]
    public async Task Namespace_InQueryOrPath(string pathAndQuery, params string[] args)
    {
        using var runner = Runner();

        var result = await runner.RunWithStdinAsync("", args);

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Equal(pathAndQuery, runner.Gateway.Requests[0].PathAndQuery);
    }

    [Fact]
    public async Task Namespace_Logs_InQuery()
    {
        using var runner = Runner();

        var result = await runner.RunAsync("logs", "echo", "-n", "team-a", "--tail=false");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("namespace=team-a", runner.Gateway.Requests[0].Query);
    }

    [Theory]
    [InlineData("remove", "echo", "-n", "team-a")]
    [InlineData("deploy", "--image", "echo:latest", "--name", "echo", "-n", "team-a")]
    public async Task Namespace_InBody(params string[] args)
    {
        using var runner = Runner();

        var result = await runner.RunAsync(args);

        Assert.True(result.ExitCode == 0, result.Err);
        using var body = JsonDocument.Parse(runner.Gateway.Requests[^1].Body);
        Assert.Equal("team-a", body.RootElement.GetProperty("namespace").GetString());
    }

    [Fact]
    public async Task Logs_FormatJson_PrintsJsonLines()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("GET", "/system/logs", _ => FakeGateway.Response(
            HttpStatusCode.OK,
            """{"name":"echo","namespace":"openfaas-fn","instance":"r1","timestamp":"2024-05-06T07:08:09Z","text":"hello"}""" + "\n",
            "application/x-ndjson"));

        var result = await runner.RunAsync("logs", "echo", "--tail=false", "--format", "json");

        Assert.Equal(0, result.ExitCode);
        using var line = JsonDocument.Parse(result.Out.Trim());
        Assert.Equal("hello", line.RootElement.GetProperty("text").GetString());
    }
}

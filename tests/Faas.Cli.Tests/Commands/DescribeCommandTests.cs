using System.Net;
using System.Text.Json;
using Faas.Cli.Tests.Support;

namespace Faas.Cli.Tests.Commands;

public class DescribeCommandTests
{
    private const string Function = """
        {"name":"echo","image":"echo:latest","namespace":"openfaas-fn","envProcess":"dotnet Function.dll",
         "envVars":{"mode":"fast"},"secrets":["api-key"],"labels":{"team":"a"},"annotations":{"topic":"orders"},
         "limits":{"memory":"128Mi"},"requests":{"cpu":"100m"},"replicas":2,"availableReplicas":1,"createdAt":"2024-01-01T00:00:00Z"}
        """;

    [Fact]
    public async Task Describe_PrintsStatusUrlsAndConfiguration()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("GET", "/system/function/echo", _ => FakeGateway.Json(Function))
            .On("GET", "/system/functions", _ => FakeGateway.Json("""[{"name":"echo","image":"echo:latest","invocationCount":7}]"""));

        var result = await runner.RunAsync("describe", "echo");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"Name:\s+echo", result.Out);
        Assert.Matches(@"Status:\s+Ready", result.Out);
        Assert.Matches(@"Replicas:\s+2", result.Out);
        Assert.Matches(@"Available Replicas:\s+1", result.Out);
        Assert.Matches(@"Invocations:\s+7", result.Out);
        Assert.Matches(@"Image:\s+echo:latest", result.Out);
        Assert.Matches(@"Function Process:\s+dotnet Function.dll", result.Out);
        Assert.Matches(@"URL:\s+http://127.0.0.1:8080/function/echo\r?\n", result.Out);
        Assert.Matches(@"Async URL:\s+http://127.0.0.1:8080/async-function/echo", result.Out);
        Assert.Contains(" team: a", result.Out);
        Assert.Contains(" topic: orders", result.Out);
        Assert.Contains(" mode: fast", result.Out);
        Assert.Matches(@"Secrets:\s+api-key", result.Out);
        Assert.Matches(@"Requests:\s+CPU: 100m", result.Out);
        Assert.Matches(@"Limits:\s+Memory: 128Mi", result.Out);
    }

    [Fact]
    public async Task Describe_NotReadyWithoutAvailableReplicas_AndNamespaceInUrl()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("GET", "/system/function/echo", _ => FakeGateway.Json("""{"name":"echo","image":"echo:latest","replicas":1}"""));

        var result = await runner.RunAsync("describe", "echo", "-n", "staging");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"Status:\s+Not Ready", result.Out);
        Assert.Contains("/function/echo.staging", result.Out);
        Assert.Equal("/system/function/echo?namespace=staging", runner.Gateway.Requests[0].PathAndQuery);
    }

    [Fact]
    public async Task Describe_Json_PrintsTheStatus()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("GET", "/system/function/echo", _ => FakeGateway.Json(Function));

        var result = await runner.RunAsync("describe", "echo", "--format", "json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal("echo", json.RootElement.GetProperty("name").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("availableReplicas").GetInt32());
    }

    [Fact]
    public async Task Describe_UnknownFunction_ExitsOne()
    {
        using var runner = new CliRunner();

        var result = await runner.RunAsync("describe", "missing");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("No such function: missing", result.Err);
    }
}

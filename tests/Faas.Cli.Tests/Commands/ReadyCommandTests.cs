using System.Net;
using Faas.Cli.Tests.Support;
using Faas.Testing.Net;

namespace Faas.Cli.Tests.Commands;

public class ReadyCommandTests
{
    [Fact]
    public async Task Ready_WaitsUntilTheGatewayHealthzAnswers200()
    {
        using var runner = new CliRunner();
        var calls = 0;
        runner.Gateway.On("GET", "/healthz", _ => FakeGateway.Response(++calls < 3 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK));

        var result = await runner.RunAsync("ready", "--attempts", "5", "--interval", "0s");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(3, runner.Gateway.Requests.Count);
        Assert.Contains("[3/5] Waiting for gateway", result.Out);
        Assert.Contains("OpenFaaS gateway is ready", result.Out);
        Assert.Null(runner.Gateway.Requests[0].Header("Authorization"));
    }

    [Fact]
    public async Task Ready_GatewayNeverHealthy_ExitsThreeAfterTheAttempts()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("GET", "/healthz", HttpStatusCode.ServiceUnavailable);

        var result = await runner.RunAsync("ready", "--attempts", "2", "--interval", "1ms", "-g", "http://gw.test:8080");

        Assert.Equal(3, result.ExitCode);
        Assert.Equal(2, runner.Gateway.Requests.Count);
        Assert.Contains("gateway: http://gw.test:8080 not ready after:", result.Err);
    }

    [Fact]
    public async Task Ready_UnreachableGateway_ReportsEachAttemptAndExitsThree()
    {
        using var runner = new CliRunner { UseFakeGateway = false };
        var port = TestPorts.Next();

        var result = await runner.RunAsync("ready", "--attempts", "2", "--interval", "0s", "-g", $"http://127.0.0.1:{port}");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("[2/2] Error reaching OpenFaaS gateway: Cannot connect to OpenFaaS", result.Out);
    }

    [Fact]
    public async Task Ready_Function_WaitsForAnAvailableReplicaInItsNamespace()
    {
        using var runner = new CliRunner();
        var calls = 0;
        runner.Gateway.On("GET", "/system/function/echo", _ => ++calls switch
        {
            1 => FakeGateway.Response(HttpStatusCode.NotFound),
            2 => FakeGateway.Json("""{"name":"echo","image":"echo:latest","replicas":1}"""),
            _ => FakeGateway.Json("""{"name":"echo","image":"echo:latest","replicas":1,"availableReplicas":1}"""),
        });

        var result = await runner.RunAsync("ready", "echo", "-n", "staging", "--attempts", "5", "--interval", "0s");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(3, runner.Gateway.Requests.Count);
        Assert.All(runner.Gateway.Requests, r => Assert.Equal("/system/function/echo?namespace=staging", r.PathAndQuery));
        Assert.Contains("[1/5] Error getting function info: No such function: echo.staging", result.Out);
        Assert.Contains("Function echo.staging is ready", result.Out);
    }

    [Fact]
    public async Task Ready_FunctionNeverAvailable_ExitsThree_AndNameDotNamespaceIsSplit()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("GET", "/system/function/echo", _ => FakeGateway.Json("""{"name":"echo","image":"echo:latest","replicas":1}"""));

        var result = await runner.RunAsync("ready", "echo.dev", "--attempts", "3", "--interval", "0s");

        Assert.Equal(3, result.ExitCode);
        Assert.Equal(3, runner.Gateway.Requests.Count);
        Assert.Equal("/system/function/echo?namespace=dev", runner.Gateway.Requests[0].PathAndQuery);
        Assert.Contains("function echo.dev not ready after:", result.Err);
    }

    [Theory]
    [InlineData("--attempts", "0")]
    [InlineData("--interval", "soon")]
    public async Task Ready_BadFlags_AreUsageErrors(string flag, string value)
    {
        using var runner = new CliRunner();

        var result = await runner.RunAsync("ready", flag, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(runner.Gateway.Requests);
    }
}

using Faas.Cli.Tests.Support;
using Faas.Testing.Net;

namespace Faas.Cli.Tests.Commands;

public class CliAppTests
{
    [Theory]
    [InlineData("bogus")]
    [InlineData("list", "--no-such-flag")]
    [InlineData("describe")]
    [InlineData("scale", "echo", "--replicas", "many")]
    public async Task UsageErrors_ExitTwo(params string[] args)
    {
        using var runner = new CliRunner();

        var result = await runner.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.NotEmpty(result.Err);
        Assert.Empty(runner.Gateway.Requests);
    }

    [Fact]
    public async Task Help_ExitsZero()
    {
        using var runner = new CliRunner();

        var result = await runner.RunAsync("deploy", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--replace", result.Out);
    }

    [Fact]
    public async Task ConnectionRefused_SaysTheGatewayIsNotRunning()
    {
        using var runner = new CliRunner { UseFakeGateway = false };
        var port = TestPorts.Next();

        var result = await runner.RunAsync("list", "-g", $"http://127.0.0.1:{port}");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Cannot connect to OpenFaaS on URL: http://127.0.0.1:{port}. Is the gateway running?", result.Err);
    }
}

using System.Net;
using Faas.Cli.Tests.Support;

namespace Faas.Cli.Tests.Commands;

public class RemoveCommandTests
{
    [Fact]
    public async Task Remove_SendsDeleteWithNameAndNamespace()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("DELETE", "/system/functions", HttpStatusCode.Accepted);

        var result = await runner.RunAsync("remove", "echo", "-n", "staging");

        Assert.Equal(0, result.ExitCode);
        var request = Assert.Single(runner.Gateway.Requests);
        Assert.Equal("""{"functionName":"echo","namespace":"staging"}""", request.Body);
        Assert.Contains("Deleting: echo.staging.", result.Out);
    }

    [Fact]
    public async Task Rm_WithoutName_RemovesTheStackFilesFunctions()
    {
        using var runner = new CliRunner();
        runner.Write("stack.yml", "provider:\n  name: openfaas\nfunctions:\n  a: {image: a}\n  b: {image: b, namespace: dev}\n");
        runner.Gateway.On("DELETE", "/system/functions", HttpStatusCode.Accepted);

        var result = await runner.RunAsync("rm");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["""{"functionName":"a"}""", """{"functionName":"b","namespace":"dev"}"""], runner.Gateway.Requests.Select(r => r.Body));
    }

    [Fact]
    public async Task Delete_UnknownFunction_ExitsOne()
    {
        using var runner = new CliRunner();

        var result = await runner.RunAsync("delete", "missing");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("No existing function to remove: missing", result.Err);
    }
}

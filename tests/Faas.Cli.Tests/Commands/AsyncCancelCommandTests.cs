using System.Net;
using Faas.Cli.Tests.Support;

namespace Faas.Cli.Tests.Commands;

public class AsyncCancelCommandTests
{
    [Fact]
    public async Task Cancel_SendsDeleteWithoutCredentials_AndSaysSo()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("DELETE", "/async-function/order%3A42", _ => FakeGateway.Json("""{"callId":"order:42","status":"cancelled"}"""));

        var result = await runner.RunAsync("async", "cancel", "order:42");
        var json = await runner.RunAsync("async", "cancel", "order:42", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Cancelled order:42", result.Out);
        Assert.Equal("""{"callId":"order:42","status":"cancelled"}""", json.Out.Trim());
        Assert.All(runner.Gateway.Requests, r => Assert.Null(r.Header("Authorization")));
    }

    [Fact]
    public async Task Cancel_RunningCallExitsOneWithTheGatewaysReason_UnknownCallExitsOne()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("DELETE", "/async-function/busy", HttpStatusCode.Conflict, "call 'busy' is running; only a queued call (not yet started, or waiting for a retry) can be cancelled");

        var running = await runner.RunAsync("async", "cancel", "busy");
        var unknown = await runner.RunAsync("async", "cancel", "nobody");

        Assert.Equal(1, running.ExitCode);
        Assert.Contains("can be cancelled", running.Err);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("No such call: nobody", unknown.Err);
    }
}

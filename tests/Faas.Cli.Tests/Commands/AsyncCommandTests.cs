using System.Net;
using Faas.Cli.Tests.Support;

namespace Faas.Cli.Tests.Commands;

public class AsyncCommandTests
{
    private const string CallId = "5f0c1a8e-9a55-4c47-9a55-0a6a1d2f3b4c";

    [Fact]
    public async Task Status_PrintsTheFieldsAsATable_AndSendsNoCredentials()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("GET", $"/async-function/{CallId}", _ => FakeGateway.Json(
            $$"""{"callId":"{{CallId}}","function":"echo.openfaas-fn","status":"succeeded","attempts":3,"lastStatusCode":200,"enqueuedAt":"2026-01-01T00:00:00+00:00"}"""));

        var result = await runner.RunAsync("async", "status", CallId);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("status:", result.Out);
        Assert.Contains("succeeded", result.Out);
        Assert.Contains("attempts:       3", result.Out);
        Assert.Null(Assert.Single(runner.Gateway.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task Status_Json_PrintsTheBody_UnknownCallExitsOne()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("GET", $"/async-function/{CallId}", _ => FakeGateway.Json($$"""{"callId":"{{CallId}}","status":"queued"}"""));

        var json = await runner.RunAsync("async", "status", CallId, "--json");
        var unknown = await runner.RunAsync("async", "status", Guid.NewGuid().ToString());

        Assert.Equal(0, json.ExitCode);
        Assert.Equal($$"""{"callId":"{{CallId}}","status":"queued"}""", json.Out.Trim());
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("No such call", unknown.Err);
    }

    [Fact]
    public async Task DeadLetters_ListsCallsWithTheirFailure()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("GET", "/system/async/dead-letters", _ => FakeGateway.Json(
            $$"""[{"callId":"{{CallId}}","function":"broken.openfaas-fn","method":"POST","path":"/","failure":{"attempts":5,"statusCode":503,"error":"status 503"},"sequence":7}]"""));

        var result = await runner.RunAsync("async", "dead-letters");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(CallId, result.Out);
        Assert.Contains("broken.openfaas-fn", result.Out);
        Assert.Contains("503", result.Out);
    }

    [Fact]
    public async Task Redrive_OneOrAll_AndNeitherIsAUsageError()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("POST", $"/system/async/dead-letters/{CallId}/redrive", _ => FakeGateway.Json($$"""{"redriven":["{{CallId}}"]}"""));
        runner.Gateway.On("POST", "/system/async/dead-letters/all/redrive", _ => FakeGateway.Json("""{"redriven":["a","b"]}"""));

        var one = await runner.RunAsync("async", "redrive", CallId);
        var all = await runner.RunAsync("async", "redrive", "--all");
        var neither = await runner.RunAsync("async", "redrive");
        var missing = await runner.RunAsync("async", "redrive", "not-dead");

        Assert.Equal(0, one.ExitCode);
        Assert.Contains($"Queued {CallId} again.", one.Out);
        Assert.Equal(0, all.ExitCode);
        Assert.Contains("2 call(s) redriven.", all.Out);
        Assert.Equal(2, neither.ExitCode);
        Assert.Equal(1, missing.ExitCode);
    }
}

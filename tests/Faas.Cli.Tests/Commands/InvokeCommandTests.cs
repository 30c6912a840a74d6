using System.Net;
using Faas.Cli.Tests.Support;

namespace Faas.Cli.Tests.Commands;

public class InvokeCommandTests
{
    [Fact]
    public async Task Invoke_SendsStdinAsTheBodyAndPrintsTheResponse()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("POST", "/function/echo", r => FakeGateway.Response(HttpStatusCode.OK, "got: " + r.Body));

        var result = await runner.RunWithStdinAsync("hello", "invoke", "echo");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("got: hello", result.Out);
        var request = Assert.Single(runner.Gateway.Requests);
        Assert.Equal("text/plain", request.Header("Content-Type"));
        Assert.Null(request.Header("Authorization"));
    }

    [Fact]
    public async Task Invoke_PassesMethodHeadersQueryContentTypeAndNamespace()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("PUT", "/function/echo.staging", HttpStatusCode.OK, "ok");

        var result = await runner.RunWithStdinAsync(
            "{}", "invoke", "echo", "-n", "staging", "-m", "put", "--content-type", "application/json",
            "-H", "X-Trace=abc", "--header", "X-Other=1", "--query", "a=1", "--query", "b=two words");

        Assert.Equal(0, result.ExitCode);
        var request = Assert.Single(runner.Gateway.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal("a=1&b=two%20words", request.Query);
        Assert.Equal("abc", request.Header("X-Trace"));
        Assert.Equal("1", request.Header("X-Other"));
        Assert.Equal("application/json", request.Header("Content-Type"));
        Assert.Equal("{}", request.Body);
    }

    [Fact]
    public async Task Invoke_WithoutRedirectedStdin_SendsAnEmptyBody()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("POST", "/function/echo", r => FakeGateway.Response(HttpStatusCode.OK, $"[{r.Body}]"));

        var result = await runner.RunAsync("invoke", "echo");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("[]", result.Out);
    }

    [Fact]
    public async Task Invoke_Non2xx_PrintsTheStatusAndExitsOne()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("POST", "/function/echo", HttpStatusCode.InternalServerError, "handler failed");

        var result = await runner.RunWithStdinAsync("x", "invoke", "echo");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Contains("Server returned unexpected status code: 500 - handler failed", result.Err);
    }

    [Fact]
    public async Task Invoke_Async_ReportsTheCallId()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("POST", "/async-function/echo", _ =>
        {
            var response = FakeGateway.Response(HttpStatusCode.Accepted);
            response.Headers.Add("X-Call-Id", "call-123");
            return response;
        });

        var result = await runner.RunWithStdinAsync("x", "invoke", "echo", "--async");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Function submitted asynchronously.", result.Err);
        Assert.Contains("X-Call-Id: call-123", result.Err);
    }

    [Fact]
    public async Task Invoke_UnsupportedMethod_IsAUsageError()
    {
        using var runner = new CliRunner();

        var result = await runner.RunAsync("invoke", "echo", "-m", "TRACE");

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(runner.Gateway.Requests);
    }
}

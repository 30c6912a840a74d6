using System.IO.Pipelines;
using System.Net;
using System.Text;
using System.Text.Json;
using Faas.Cli.Tests.Support;

namespace Faas.Cli.Tests.Commands;

public class LogsCommandTests
{
    private static string Line(string text, string instance = "replica-1") =>
        $$"""{"name":"echo","namespace":"openfaas-fn","instance":"{{instance}}","timestamp":"2024-05-06T07:08:09.123Z","text":"{{text}}"}""" + "\n";

    [Fact]
    public async Task Logs_PrintsEachLineAsItArrives()
    {
        using var runner = new CliRunner();
        var output = new WatchedWriter();
        runner.Output = output;
        var pipe = new Pipe();
        runner.Gateway.On("GET", "/system/logs", _ => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(pipe.Reader.AsStream()),
        });

        var run = runner.RunAsync("logs", "echo");
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(Line("first")));
        await output.WaitForAsync("first"); // printed while the stream is still open
        Assert.False(run.IsCompleted);
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(Line("second", "replica-2")));
        await pipe.Writer.CompleteAsync();
        var result = await run;

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            $"2024-05-06T07:08:09Z replica-1 first{Environment.NewLine}2024-05-06T07:08:09Z replica-2 second{Environment.NewLine}",
            result.Out);
        var query = runner.Gateway.Requests.Single().Query;
        Assert.Contains("name=echo", query);
        Assert.Contains("follow=true", query);
        Assert.Contains("tail=-1", query);
    }

    [Fact]
    public async Task Logs_PassesNamespaceSinceAndLines_AndPrintsJson()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("GET", "/system/logs", _ => FakeGateway.Response(HttpStatusCode.OK, Line("hello"), "application/x-ndjson"));

        var result = await runner.RunAsync("logs", "echo", "-n", "staging", "--tail=false", "--lines", "5", "--since-time", "2024-05-06T00:00:00Z", "-o", "json");

        Assert.Equal(0, result.ExitCode);
        var query = runner.Gateway.Requests.Single().Query;
        Assert.Contains("namespace=staging", query);
        Assert.Contains("follow=false", query);
        Assert.Contains("tail=5", query);
        Assert.Contains("since=2024-05-06T00%3A00%3A00Z", query);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal("hello", json.RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Logs_KeyValueWithNameAndCustomTimeFormat()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("GET", "/system/logs", _ => FakeGateway.Response(HttpStatusCode.OK, Line("hello")));

        var result = await runner.RunAsync("logs", "echo", "--tail=false", "-o", "keyvalue", "--name", "--time-format", "15:04:05.000");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("timestamp=07:08:09.123 name=echo instance=replica-1 text=hello" + Environment.NewLine, result.Out);
    }

    [Theory]
    [InlineData("--since", "yesterday")]
    [InlineData("-o", "xml")]
    [InlineData("--since", "5m", "--since-time", "2024-01-01T00:00:00Z")]
    public async Task Logs_BadFlags_AreUsageErrors(params string[] flags)
    {
        using var runner = new CliRunner();

        var result = await runner.RunAsync(["logs", "echo", .. flags]);

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(runner.Gateway.Requests);
    }
}

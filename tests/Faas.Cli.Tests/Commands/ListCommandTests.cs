using System.Net;
using System.Text.Json;
using Faas.Cli.Tests.Support;

namespace Faas.Cli.Tests.Commands;

public class ListCommandTests
{
    private const string Functions = """
        [
          {"name":"zeta","image":"zeta:latest","namespace":"openfaas-fn","invocationCount":5,"replicas":1,"availableReplicas":1,"createdAt":"2024-01-01T00:00:00Z"},
          {"name":"alpha","image":"alpha:1.0","namespace":"openfaas-fn","invocationCount":42,"replicas":2,"availableReplicas":2,"createdAt":"2024-01-01T00:00:00Z"}
        ]
        """;

    private static CliRunner Runner()
    {
        var runner = new CliRunner();
        runner.Gateway.On("GET", "/system/functions", _ => FakeGateway.Json(Functions));
        return runner;
    }

    [Fact]
    public async Task List_PrintsATableSortedByName()
    {
        using var runner = Runner();

        var result = await runner.RunAsync("list");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Out.TrimEnd().Split(Environment.NewLine);
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^Function\s{20,}Invocations\s+Replicas$", lines[0]);
        Assert.Matches(@"^alpha\s+42\s+2$", lines[1]);
        Assert.Matches(@"^zeta\s+5\s+1$", lines[2]);
        Assert.Equal(lines[0].IndexOf("Invocations", StringComparison.Ordinal), lines[1].IndexOf("42", StringComparison.Ordinal));
    }

    [Fact]
    public async Task List_VerboseAddsTheImage_AndSortsByInvocations()
    {
        using var runner = Runner();

        var result = await runner.RunAsync("ls", "-v", "--sort", "invocations");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Out.TrimEnd().Split(Environment.NewLine);
        Assert.Matches(@"^Function\s+Image\s+Invocations\s+Replicas$", lines[0]);
        Assert.Matches(@"^alpha\s+alpha:1\.0\s+42\s+2$", lines[1]);
        Assert.StartsWith("zeta", lines[2]);
    }

    [Fact]
    public async Task List_QuietPrintsNamesOnly_AndPassesTheNamespace()
    {
        using var runner = Runner();

        var result = await runner.RunAsync("list", "-q", "-n", "staging");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"alpha{Environment.NewLine}zeta{Environment.NewLine}", result.Out);
        Assert.Equal("/system/functions?namespace=staging", runner.Gateway.Requests.Single().PathAndQuery);
    }

    [Theory]
    [InlineData("-j")]
    [InlineData("--format", "json")]
    public async Task List_Json_PrintsTheFunctions(params string[] flags)
    {
        using var runner = Runner();

        var result = await runner.RunAsync(["list", .. flags]);

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(2, json.RootElement.GetArrayLength());
        Assert.Equal("alpha", json.RootElement[0].GetProperty("name").GetString());
        Assert.Equal(42, json.RootElement[0].GetProperty("invocationCount").GetDouble());
    }

    [Fact]
    public async Task List_Unauthorized_SuggestsLogin()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("GET", "/system/functions", HttpStatusCode.Unauthorized, "invalid credentials");

        var result = await runner.RunAsync("list");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Server returned unexpected status code: 401", result.Err);
        Assert.Contains("faas-cli login", result.Err);
    }
}

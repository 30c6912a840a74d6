using System.Net;
using Faas.Cli.Tests.Support;

namespace Faas.Cli.Tests.Commands;

public class NamespaceCommandTests
{
    [Fact]
    public async Task List_PrintsNamespaces_AsListOrJson()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("GET", "/system/namespaces", _ => FakeGateway.Json("""["openfaas-fn","staging"]"""));

        var table = await runner.RunAsync("namespace", "list", "--gateway", "http://gw.test:9999");
        var json = await runner.RunAsync("ns", "ls", "--format", "json");

        Assert.Equal(0, table.ExitCode);
        Assert.Equal("http://gw.test:9999", runner.Gateway.Requests[0].Authority);
        Assert.Contains(" - openfaas-fn", table.Out);
        Assert.Contains(" - staging", table.Out);
        Assert.Equal(0, json.ExitCode);
        Assert.Contains("\"staging\"", json.Out);
        Assert.StartsWith("[", json.Out.Trim());
    }

    [Fact]
    public async Task Create_PostsNameLabelsAndAnnotations()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("POST", "/system/namespace/", HttpStatusCode.Created, """{"name":"team-a"}""", "application/json");

        var result = await runner.RunAsync("namespace", "create", "team-a", "--label", "owner=a", "--annotation", "note=n");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("""{"name":"team-a","annotations":{"note":"n"},"labels":{"owner":"a"}}""", Assert.Single(runner.Gateway.Requests).Body);
        Assert.Contains("Created: 201 Created", result.Out);
    }

    [Fact]
    public async Task Create_Existing_ExitsOne_AndReservedShowsTheGatewayMessage()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("POST", "/system/namespace/", r => r.Body.Contains("kube-system")
            ? FakeGateway.Response(HttpStatusCode.BadRequest, "namespace 'kube-system' is reserved")
            : FakeGateway.Response(HttpStatusCode.Conflict, "exists"));

        var existing = await runner.RunAsync("namespace", "create", "dup");
        var reserved = await runner.RunAsync("namespace", "create", "kube-system");

        Assert.Equal(1, existing.ExitCode);
        Assert.Contains("namespace \"dup\" already exists", existing.Err);
        Assert.Equal(1, reserved.ExitCode);
        Assert.Contains("400 - namespace 'kube-system' is reserved", reserved.Err);
    }

    [Fact]
    public async Task Delete_SendsDelete_MissingAndBusyExitOne()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("DELETE", "/system/namespace/old", HttpStatusCode.Accepted);
        runner.Gateway.On("DELETE", "/system/namespace/busy", HttpStatusCode.Conflict, "namespace 'busy' still holds functions worker");

        var ok = await runner.RunAsync("namespace", "delete", "old");
        var busy = await runner.RunAsync("ns", "rm", "busy");
        var missing = await runner.RunAsync("namespace", "remove", "nobody");

        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("Deleted namespace: old", ok.Out);
        Assert.Equal(1, busy.ExitCode);
        Assert.Contains("409 - namespace 'busy' still holds functions worker", busy.Err);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("namespace not found: nobody", missing.Err);
    }

    [Fact]
    public async Task Create_BadLabel_IsAUsageError()
    {
        using var runner = new CliRunner();

        var result = await runner.RunAsync("namespace", "create", "x", "--label", "novalue");

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(runner.Gateway.Requests);
    }
}

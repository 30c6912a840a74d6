using System.Net;
using Faas.Cli.Tests.Support;

namespace Faas.Cli.Tests.Commands;

public class SecretCommandTests
{
    [Fact]
    public async Task Create_FromLiteral_PostsNameNamespaceAndTrimmedValue()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("POST", "/system/secrets", HttpStatusCode.Accepted);

        var result = await runner.RunAsync("secret", "create", "db-pass", "--from-literal", " s3cret \n", "-n", "staging", "--gateway", "http://gw.test:8080");

        Assert.Equal(0, result.ExitCode);
        var request = Assert.Single(runner.Gateway.Requests);
        Assert.Equal("http://gw.test:8080", request.Authority);
        Assert.Equal("""{"name":"db-pass","namespace":"staging","value":"s3cret"}""", request.Body);
        Assert.Contains("Creating secret: db-pass.staging", result.Out);
        Assert.Contains("Created: 202 Accepted", result.Out);
    }

    [Fact]
    public async Task Create_FromFile_SendsExactBytesAsRawValue()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("POST", "/system/secrets", HttpStatusCode.Accepted);
        File.WriteAllBytes(runner.PathOf("key.bin"), [1, 2, 3, 10]);

        var result = await runner.RunAsync("secret", "create", "key", "--from-file", "key.bin");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("""{"name":"key","rawValue":"AQIDCg=="}""", Assert.Single(runner.Gateway.Requests).Body);
    }

    [Fact]
    public async Task Create_FromStdin_ReadsTheValue()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("POST", "/system/secrets", HttpStatusCode.Accepted);

        var result = await runner.RunWithStdinAsync("piped-value\n", "secret", "create", "piped");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("""{"name":"piped","value":"piped-value"}""", Assert.Single(runner.Gateway.Requests).Body);
    }

    [Fact]
    public async Task Create_WithoutAnyValueSource_IsAUsageError()
    {
        using var runner = new CliRunner();

        var result = await runner.RunAsync("secret", "create", "nothing");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--from-literal, --from-file, or on stdin", result.Err);
        Assert.Empty(runner.Gateway.Requests);
    }

    [Fact]
    public async Task Create_EmptyValue_OrBothSources_AreUsageErrors()
    {
        using var runner = new CliRunner();
        runner.Write("v.txt", "x");

        var empty = await runner.RunAsync("secret", "create", "e", "--from-literal", "  ");
        var both = await runner.RunAsync("secret", "create", "b", "--from-literal", "x", "--from-file", "v.txt");

        Assert.Equal(2, empty.ExitCode);
        Assert.Contains("is empty", empty.Err);
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("not both", both.Err);
        Assert.Empty(runner.Gateway.Requests);
    }

    [Fact]
    public async Task Create_Existing_ExitsOne_UnlessReplace()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("POST", "/system/secrets", HttpStatusCode.Conflict, "secret 'a' already exists");
        runner.Gateway.On("PUT", "/system/secrets", HttpStatusCode.Accepted);

        var refused = await runner.RunAsync("secret", "create", "a", "--from-literal", "v");
        var replaced = await runner.RunAsync("secret", "create", "a", "--from-literal", "v", "--replace");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("already exists", refused.Err);
        Assert.Equal(0, replaced.ExitCode);
        Assert.Equal(["POST", "POST", "PUT"], runner.Gateway.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task Create_GatewayRejection_ShowsTheMessageAndExitsOne()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("POST", "/system/secrets", HttpStatusCode.RequestEntityTooLarge, "the secret value is 2000000 bytes; at most 1048576 bytes (1 MiB) are allowed");

        var result = await runner.RunAsync("secret", "create", "big", "--from-literal", "v");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("413 - the secret value is 2000000 bytes", result.Err);
    }

    [Fact]
    public async Task Update_PutsTheValue_AndMissingExitsOne()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("PUT", "/system/secrets", r => FakeGateway.Response(r.Body.Contains("\"ghost\"") ? HttpStatusCode.NotFound : HttpStatusCode.Accepted));

        var ok = await runner.RunAsync("secret", "update", "api", "--from-literal", "v2", "--namespace", "dev");
        var missing = await runner.RunAsync("secret", "u", "ghost", "--from-literal", "v2");

        Assert.Equal(0, ok.ExitCode);
        Assert.Equal("""{"name":"api","namespace":"dev","value":"v2"}""", runner.Gateway.Requests[0].Body);
        Assert.Contains("Updated: 202 Accepted", ok.Out);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("secret not found: ghost", missing.Err);
    }

    [Fact]
    public async Task List_PrintsNames_AsTableOrJson_WithNamespaceQuery()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("GET", "/system/secrets", _ => FakeGateway.Json("""[{"name":"zeta","namespace":"dev"},{"name":"alpha","namespace":"dev"}]"""));

        var table = await runner.RunAsync("secret", "list", "-n", "dev");
        var json = await runner.RunAsync("secret", "ls", "--namespace", "dev", "--format", "json");

        Assert.Equal(0, table.ExitCode);
        Assert.Equal("namespace=dev", runner.Gateway.Requests[0].Query);
        var lines = table.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).ToList();
        Assert.StartsWith("NAME", lines[0]);
        Assert.StartsWith("alpha", lines[1]);
        Assert.StartsWith("zeta", lines[2]);
        Assert.Equal(0, json.ExitCode);
        Assert.Contains("\"name\": \"alpha\"", json.Out);
        Assert.DoesNotContain("value", json.Out);
    }

    [Fact]
    public async Task Remove_SendsDelete_InUseConflictShowsTheFunction()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("DELETE", "/system/secrets", r => r.Body.Contains("\"used\"")
            ? FakeGateway.Response(HttpStatusCode.Conflict, "secret 'used' is used by function reader in namespace openfaas-fn")
            : r.Body.Contains("\"gone\"") ? FakeGateway.Response(HttpStatusCode.NotFound) : FakeGateway.Response(HttpStatusCode.Accepted));

        var ok = await runner.RunAsync("secret", "remove", "old", "-n", "dev");
        var inUse = await runner.RunAsync("secret", "rm", "used");
        var gone = await runner.RunAsync("secret", "rm", "gone");

        Assert.Equal(0, ok.ExitCode);
        Assert.Equal("""{"name":"old","namespace":"dev"}""", runner.Gateway.Requests[0].Body);
        Assert.Equal(1, inUse.ExitCode);
        Assert.Contains("409 - secret 'used' is used by function reader", inUse.Err);
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains("secret not found: gone", gone.Err);
    }
}

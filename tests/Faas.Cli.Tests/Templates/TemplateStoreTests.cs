using System.Text.Json;
using Faas.Cli.Tests.Support;

namespace Faas.Cli.Tests.Templates;

public class TemplateStoreTests
{
    private const string Index = """
        [
          {"template":"csharp-http","platform":"x86_64","language":"C#","source":"acme","description":"C# HTTP template","repo":"REPO","official":"true"},
          {"template":"go-http","platform":"x86_64","language":"Go","source":"openfaas","description":"Go HTTP template","repo":"REPO","official":"true"},
          {"template":"go-armhf","platform":"armhf","language":"Go","source":"openfaas","description":"Go for armhf","repo":"REPO"}
        ]
        """;

    [Fact]
    public async Task StoreList_FromAJsonFile_ShowsTheTemplatesOfThePlatform()
    {
        using var runner = new CliRunner();
        runner.Write("templates.json", Index);

        var result = await runner.RunAsync("template", "store", "list", "--url", "templates.json");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME        SOURCE   DESCRIPTION", "csharp-http acme     C# HTTP template", "go-http     openfaas Go HTTP template"], lines);
    }

    [Fact]
    public async Task StoreList_VerbosePlatformAndJson()
    {
        using var runner = new CliRunner();
        runner.Write("templates.json", Index);
        runner.Environment["OPENFAAS_TEMPLATE_STORE_URL"] = runner.PathOf("templates.json");

        var verbose = await runner.RunAsync("template", "store", "ls", "-v", "-p", "armhf");
        var json = await runner.RunAsync("template", "store", "list", "--format", "json");

        Assert.Equal(0, verbose.ExitCode);
        Assert.Contains("NAME     LANGUAGE PLATFORM SOURCE   DESCRIPTION", verbose.Out);
        Assert.Contains("go-armhf Go       armhf    openfaas Go for armhf", verbose.Out);
        Assert.DoesNotContain("go-http", verbose.Out);
        Assert.Equal(0, json.ExitCode);
        using var doc = JsonDocument.Parse(json.Out);
        Assert.Equal(["csharp-http", "go-http"], doc.RootElement.EnumerateArray().Select(e => e.GetProperty("template").GetString()));
    }

    [Fact]
    public async Task StoreList_FromAUrl()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("GET", "/store/templates.json", _ => FakeGateway.Json(Index));

        var result = await runner.RunAsync("template", "store", "list", "-u", "http://store.test/store/templates.json");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("go-http", result.Out);
        Assert.Equal("http://store.test", runner.Gateway.Requests[0].Authority);
    }

    [Fact]
    public async Task StoreList_UrlAnswering404_ExitsOne()
    {
        using var runner = new CliRunner();

        var result = await runner.RunAsync("template", "store", "list", "-u", "http://store.test/missing.json");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("answered 404", result.Err);
    }

    [Fact]
    public async Task StoreList_FromAFolder_ListsItsTemplates_AndStorePullCopiesOne()
    {
        using var runner = new CliRunner();
        var folder = TemplateSources.Folder(runner, "store", "alpha", "beta");

        var list = await runner.RunAsync("template", "store", "list", "--url", folder);
        var pull = await runner.RunAsync("template", "store", "pull", "beta", "--url", folder);

        Assert.Equal(0, list.ExitCode);
        Assert.Contains("alpha", list.Out);
        Assert.Contains("The beta template.", list.Out);
        Assert.Equal(0, pull.ExitCode);
        Assert.True(File.Exists(runner.PathOf("template", "beta", "template.yml")));
        Assert.False(Directory.Exists(runner.PathOf("template", "alpha")));
    }

    [Fact]
    public async Task StorePull_FollowsTheRepoOfTheIndexEntry_ToAGitRepository()
    {
        using var runner = new CliRunner();
        var bare = TemplateSources.BareRepository(runner, "repo", "go-http", "csharp-http");
        runner.Write("templates.json", Index.Replace("REPO", "file://" + bare));

        var result = await runner.RunAsync("template", "store", "pull", "go-http", "-u", "templates.json");
        var missing = await runner.RunAsync("template", "store", "pull", "nope", "-u", "templates.json");

        Assert.Equal(0, result.ExitCode);
        Assert.True(File.Exists(runner.PathOf("template", "go-http", "template.yml")));
        Assert.False(Directory.Exists(runner.PathOf("template", "csharp-http")));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("template 'nope' was not found", missing.Err);
    }

    [Fact]
    public async Task FunctionStoreList_ShowsFunctionsWithAnImageForThePlatform()
    {
        using var runner = new CliRunner();
        runner.Write("functions.json", """
            {"version":"0.2.0","functions":[
              {"name":"nodeinfo","title":"NodeInfo","description":"Node info","images":{"x86_64":"ghcr.io/openfaas/nodeinfo:latest"}},
              {"name":"armonly","title":"ArmOnly","images":{"armhf":"x/arm:1"}}
            ]}
            """);

        var table = await runner.RunAsync("store", "list", "--url", "functions.json", "-v");
        var json = await runner.RunAsync("store", "ls", "--url", runner.Directory, "--format", "json");

        Assert.Equal(0, table.ExitCode);
        Assert.Contains("FUNCTION IMAGE                            DESCRIPTION", table.Out);
        Assert.Contains("nodeinfo ghcr.io/openfaas/nodeinfo:latest NodeInfo", table.Out);
        Assert.DoesNotContain("armonly", table.Out);
        Assert.Equal(0, json.ExitCode);
        using var doc = JsonDocument.Parse(json.Out);
        Assert.Equal("nodeinfo", Assert.Single(doc.RootElement.EnumerateArray()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task StoreList_MissingStore_ExitsOne()
    {
        using var runner = new CliRunner();

        var result = await runner.RunAsync("template", "store", "list", "--url", "nowhere.json");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("template store not found", result.Err);
    }
}

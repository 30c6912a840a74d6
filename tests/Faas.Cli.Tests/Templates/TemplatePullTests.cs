using Faas.Cli.Tests.Support;

namespace Faas.Cli.Tests.Templates;

public class TemplatePullTests
{
    [Fact]
    public async Task Pull_FromAFolder_CopiesItsTemplatesIntoDotTemplate()
    {
        using var runner = new CliRunner();
        TemplateSources.Folder(runner, "source", "go-http", "python3");

        var result = await runner.RunAsync("template", "pull", "./source");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Fetched 2 template(s) : [go-http python3] from ./source", result.Out);
        Assert.Equal("go-http handler", File.ReadAllText(runner.PathOf("template", "go-http", "function", "handler.txt")));
        Assert.True(File.Exists(runner.PathOf("template", "python3", "template.yml")));
    }

    [Fact]
    public async Task Pull_KeepsExistingTemplates_UnlessOverwrite()
    {
        using var runner = new CliRunner();
        TemplateSources.Folder(runner, "source", "go-http");
        runner.Write("template/go-http/template.yml", "language: mine\n");
        runner.Write("template/go-http/stale.txt", "old");

        var kept = await runner.RunAsync("template", "pull", "source");

        Assert.Equal(0, kept.ExitCode);
        Assert.Contains("Cannot overwrite the following 1 template(s): [go-http]", kept.Out);
        Assert.Equal("language: mine\n", File.ReadAllText(runner.PathOf("template", "go-http", "template.yml")));

        var replaced = await runner.RunAsync("template", "pull", "source", "--overwrite");

        Assert.Equal(0, replaced.ExitCode);
        Assert.Contains("Fetched 1 template(s) : [go-http]", replaced.Out);
        Assert.StartsWith("language: go-http", File.ReadAllText(runner.PathOf("template", "go-http", "template.yml")));
        Assert.False(File.Exists(runner.PathOf("template", "go-http", "stale.txt")));
    }

    [Fact]
    public async Task Pull_FromABareGitRepository_AndAFileUrlWithABranch()
    {
        using var runner = new CliRunner();
        var bare = TemplateSources.BareRepository(runner, "templates", "node18");

        var fromPath = await runner.RunAsync("template", "pull", bare);

        Assert.Equal(0, fromPath.ExitCode);
        Assert.Contains("Fetch templates from repository:", fromPath.Out);
        Assert.True(File.Exists(runner.PathOf("template", "node18", "template.yml")));
        Assert.False(Directory.Exists(runner.PathOf("template", "node18-v2")));

        var fromBranch = await runner.RunAsync("template", "pull", "file://" + bare + "#v2");

        Assert.Equal(0, fromBranch.ExitCode);
        Assert.Contains(" at v2", fromBranch.Out);
        Assert.True(File.Exists(runner.PathOf("template", "node18-v2", "template.yml")));
    }

    [Fact]
    public async Task Pull_DefaultsToOpenFaaSTemplateUrl()
    {
        using var runner = new CliRunner();
        TemplateSources.Folder(runner, "from-env", "ruby");
        runner.Environment["OPENFAAS_TEMPLATE_URL"] = runner.PathOf("from-env");

        var result = await runner.RunAsync("template", "pull");

        Assert.Equal(0, result.ExitCode);
        Assert.True(File.Exists(runner.PathOf("template", "ruby", "template.yml")));
    }

    [Fact]
    public async Task Pull_UnknownBranch_ExitsOneWithGitsMessage()
    {
        using var runner = new CliRunner();
        var bare = TemplateSources.BareRepository(runner, "templates", "node18");

        var result = await runner.RunAsync("template", "pull", "file://" + bare + "#no-such-branch");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("git clone of", result.Err);
        Assert.Contains("no-such-branch", result.Err);
        Assert.False(Directory.Exists(runner.PathOf("template")));
    }

    [Theory]
    [InlineData("not-a-folder-or-url")]
    [InlineData("https://example.test/repo.git#bad..ref")]
    public async Task Pull_BadSource_IsAUsageError(string source)
    {
        using var runner = new CliRunner();

        var result = await runner.RunAsync("template", "pull", source);

        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public async Task Pull_FolderWithoutTemplateFolder_ExitsOne()
    {
        using var runner = new CliRunner();
        runner.Write("empty/readme.md", "nothing here");

        var result = await runner.RunAsync("template", "pull", "empty");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("can't find templates in: empty", result.Err);
    }

    [Fact]
    public async Task New_FindsPulledTemplates_AsWellAsTheBuiltInCsharp()
    {
        using var runner = new CliRunner();
        runner.ToolDirectory = TestTemplates.CreateToolDirectory(runner);
        var bare = TemplateSources.BareRepository(runner, "templates", "go-http");
        Assert.Equal(0, (await runner.RunAsync("template", "pull", bare)).ExitCode);

        var list = await runner.RunAsync("new", "--list");
        var created = await runner.RunAsync("new", "hello", "--lang", "go-http");
        var builtIn = await runner.RunAsync("new", "sharp", "--lang", "csharp");

        Assert.Contains("- go-http", list.Out);
        Assert.Contains("- csharp", list.Out);
        Assert.Equal(0, created.ExitCode);
        Assert.Equal("go-http handler", File.ReadAllText(runner.PathOf("hello", "handler.txt")));
        Assert.Contains("lang: go-http", File.ReadAllText(runner.PathOf("hello.yml")));
        Assert.Equal(0, builtIn.ExitCode);
        Assert.True(File.Exists(runner.PathOf("sharp", "Handler.cs")));
        Assert.False(Directory.Exists(runner.PathOf("template", "go-http", "packages")));
        Assert.True(File.Exists(runner.PathOf("template", "csharp", "packages", "Faas.Function.0.1.0.nupkg")));
    }
}

public class TemplatePullStackTests
{
    [Fact]
    public async Task PullStack_PullsEachListedTemplate_FromItsSourceOrTheStore()
    {
        using var runner = new CliRunner();
        var bare = TemplateSources.BareRepository(runner, "repo", "go-http", "unused");
        var storeFolder = TemplateSources.Folder(runner, "store", "from-store");
        runner.Environment["OPENFAAS_TEMPLATE_STORE_URL"] = storeFolder;
        runner.Write("stack.yml", $"""
            version: 1.0
            provider:
              name: openfaas
            functions:
              fn:
                lang: go-http
                image: fn:latest
            configuration:
              templates:
                - name: go-http
                  source: file://{bare}
                - name: from-store
            """);

        var result = await runner.RunAsync("template", "pull", "stack");

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.True(File.Exists(runner.PathOf("template", "go-http", "template.yml")));
        Assert.True(File.Exists(runner.PathOf("template", "from-store", "template.yml")));
        Assert.False(Directory.Exists(runner.PathOf("template", "unused")));
    }

    [Fact]
    public async Task PullStack_WithoutTemplatesInTheStack_ExitsOne()
    {
        using var runner = new CliRunner();
        runner.Write("stack.yml", "version: 1.0\nprovider:\n  name: openfaas\nfunctions:\n  fn:\n    image: fn:latest\n");

        var result = await runner.RunAsync("template", "pull", "stack");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("lists no templates under configuration.templates", result.Err);
    }
}

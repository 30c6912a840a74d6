using Faas.Cli.Stack;
using Faas.Cli.Tests.Support;

namespace Faas.Cli.Tests.Commands;

public class NewCommandTests
{
    private static CliRunner Runner()
    {
        var runner = new CliRunner();
        runner.ToolDirectory = TestTemplates.CreateToolDirectory(runner);
        return runner;
    }

    [Fact]
    public async Task New_CopiesHandlerWritesStackFileAndLocalTemplate()
    {
        using var runner = Runner();

        var result = await runner.RunAsync("new", "hello", "--lang", "csharp");

        Assert.Equal(0, result.ExitCode);
        Assert.True(File.Exists(runner.PathOf("hello", "Function.csproj")));
        Assert.True(File.Exists(runner.PathOf("hello", "Handler.cs")));
        Assert.True(File.Exists(runner.PathOf("template", "csharp", "template.yml")));
        Assert.True(File.Exists(runner.PathOf("template", "csharp", "packages", "Faas.Function.0.1.0.nupkg")));
        Assert.Contains("Function created in folder: ./hello", result.Out);
        Assert.Contains("Stack file written: hello.yml", result.Out);
        Assert.Contains(TestTemplates.WelcomeMessage, result.Out);

        var stack = StackLoader.Load(runner.PathOf("hello.yml"), _ => null);
        Assert.Equal("1.0", stack.Version);
        Assert.Equal("openfaas", stack.Provider!.Name);
        Assert.Equal("http://127.0.0.1:8080", stack.Provider.Gateway);
        var hello = stack.Functions["hello"];
        Assert.Equal("csharp", hello.Lang);
        Assert.Equal("./hello", hello.Handler);
        Assert.Equal("hello:latest", hello.Image);
    }

    [Fact]
    public async Task New_WithPrefixHandlerAndLimits_WritesThemToTheStackFile()
    {
        using var runner = Runner();

        var result = await runner.RunAsync("new", "hello", "--lang", "csharp", "-p", "ghcr.io/me/", "--handler", "./src/hello", "--memory-limit", "128Mi", "-g", "gw.local:9000");

        Assert.Equal(0, result.ExitCode);
        Assert.True(File.Exists(runner.PathOf("src", "hello", "Handler.cs")));
        var stack = StackLoader.Load(runner.PathOf("hello.yml"), _ => null);
        Assert.Equal("ghcr.io/me/hello:latest", stack.Functions["hello"].Image);
        Assert.Equal("./src/hello", stack.Functions["hello"].Handler);
        Assert.Equal("128Mi", stack.Functions["hello"].Limits!.Memory);
        Assert.Equal("http://gw.local:9000", stack.Provider!.Gateway);
    }

    [Fact]
    public async Task New_UsesOpenFaaSPrefixFromTheEnvironment()
    {
        using var runner = Runner();
        runner.Environment["OPENFAAS_PREFIX"] = "registry.local";

        Assert.Equal(0, (await runner.RunAsync("new", "hello", "--lang", "csharp")).ExitCode);

        Assert.Equal("registry.local/hello:latest", StackLoader.Load(runner.PathOf("hello.yml"), _ => null).Functions["hello"].Image);
    }

    [Fact]
    public async Task New_RefusesAnExistingFolder()
    {
        using var runner = Runner();
        Directory.CreateDirectory(runner.PathOf("hello"));

        var result = await runner.RunAsync("new", "hello", "--lang", "csharp");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("folder: ./hello already exists", result.Err);
        Assert.False(File.Exists(runner.PathOf("hello.yml")));
    }

    [Fact]
    public async Task New_Append_AddsTheFunctionToAnExistingStackFile()
    {
        using var runner = Runner();
        Assert.Equal(0, (await runner.RunAsync("new", "first", "--lang", "csharp")).ExitCode);

        var result = await runner.RunAsync("new", "second", "--lang", "csharp", "--append", "first.yml");

        Assert.Equal(0, result.ExitCode);
        var stack = StackLoader.Load(runner.PathOf("first.yml"), _ => null);
        Assert.Equal(["first", "second"], stack.Functions.Keys.Order());
        Assert.False(File.Exists(runner.PathOf("second.yml")));

        var again = await runner.RunAsync("new", "third", "--lang", "csharp", "-a", "first.yml", "--handler", "./first");
        Assert.Equal(1, again.ExitCode);
    }

    [Fact]
    public async Task New_List_ShowsTheLanguages()
    {
        using var runner = Runner();

        var result = await runner.RunAsync("new", "--list");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("- csharp", result.Out);
    }

    [Theory]
    [InlineData(2, "new", "Hello_World", "--lang", "csharp")]
    [InlineData(2, "new", "hello")]
    [InlineData(1, "new", "hello", "--lang", "cobol")]
    public async Task New_RejectsBadInput(int exitCode, params string[] args)
    {
        using var runner = Runner();

        var result = await runner.RunAsync(args);

        Assert.Equal(exitCode, result.ExitCode);
        Assert.NotEmpty(result.Err);
        Assert.False(Directory.Exists(runner.PathOf("hello")));
    }
}

using System.Net;
using Faas.Cli.Tests.Support;
using Faas.Contracts.Artifacts;

namespace Faas.Cli.Tests.Build;

/// <summary>
/// The one slow test: a real <c>dotnet publish</c> of a handler created by <c>faas-cli new</c>,
/// restoring Faas.Function from the feed shipped next to faas-cli.
/// </summary>
public class BuildEndToEndTests
{
    [Fact]
    public async Task NewBuildDeploy_PublishesTheHandlerIntoTheArtifactStore()
    {
        using var runner = new CliRunner();
        if (!File.Exists(Path.Combine(AppContext.BaseDirectory, "templates", "csharp", "template.yml")))
        {
            // Built-in template not there yet: a local one is looked up first anyway.
            TestTemplates.WriteTemplate(runner.PathOf("template", "csharp"));
        }

        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "packages", "Faas.Function.0.1.0.nupkg")), "the CLI build packs Faas.Function into packages/");

        var created = await runner.RunAsync("new", "hello", "--lang", "csharp");
        Assert.True(created.ExitCode == 0, created.Err);

        var built = await runner.RunAsync("build", "-f", "hello.yml");
        Assert.True(built.ExitCode == 0, built.Out + built.Err);
        Assert.Contains("[hello] ", built.Out);

        var folder = Path.Combine(runner.Environment[ArtifactStore.EnvironmentVariable], ArtifactStore.KeyFor("hello:latest"));
        Assert.True(File.Exists(Path.Combine(folder, "Function.dll")));
        Assert.True(File.Exists(Path.Combine(folder, "Faas.Function.dll")));
        var manifest = ArtifactManifest.TryRead(folder);
        Assert.NotNull(manifest);
        Assert.Equal("hello:latest", manifest.Image);
        Assert.Equal("Function.dll", manifest.HandlerAssembly);

        runner.Gateway.On("PUT", "/system/functions", HttpStatusCode.NotFound).On("POST", "/system/functions", HttpStatusCode.Accepted);
        var deployed = await runner.RunAsync("deploy", "-f", "hello.yml");
        Assert.Equal(0, deployed.ExitCode);
        Assert.Contains("\"image\":\"hello:latest\"", runner.Gateway.Requests[^1].Body);
    }
}

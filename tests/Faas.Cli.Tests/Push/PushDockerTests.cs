using System.Text;
using Faas.Cli.Tests.Support;
using Faas.Testing.Docker;

namespace Faas.Cli.Tests.Push;

/// <summary><c>faas-cli push</c> against a private dockerd and a fake v2 registry on 127.0.0.1.</summary>
public class PushDockerTests(DockerDaemonFixture daemon) : IClassFixture<DockerDaemonFixture>
{
    [Fact]
    public async Task Push_ImageNamingARegistry_PushesWithConfigJsonCredentials()
    {
        await using var registry = await FakeRegistry.StartAsync("faas", "pw");
        using var runner = new CliRunner();
        var repository = $"{registry.Host}/cli/pushed-{daemon.RunId}";
        await daemon.Client.Images.TagImageAsync(daemon.BaseImage, repository, "v1");
        try
        {
            runner.Environment["DOCKER_HOST"] = daemon.DockerHost;
            var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("faas:pw"));
            runner.Write("home/.docker/config.json", $$"""{"auths": {"http://{{registry.Host}}": {"auth": "{{auth}}"} } }""");
            runner.Write("stack.yml", $"""
                version: 1.0
                provider:
                  name: openfaas
                functions:
                  pushed:
                    lang: csharp
                    handler: ./pushed
                    image: {repository}:v1
                  local:
                    lang: csharp
                    handler: ./local
                    image: local-only:latest
                """);

            var result = await runner.RunAsync("push");

            Assert.True(result.ExitCode == 0, result.Out + result.Err);
            var manifest = registry.Manifests[$"cli/pushed-{daemon.RunId}:v1"];
            Assert.Contains($"[pushed] Pushed {repository}:v1 ({FakeRegistry.Sha256(manifest)})", result.Out);
            Assert.Contains("[local] local-only:latest names no registry", result.Out);
            Assert.NotEmpty(registry.Blobs);
        }
        finally
        {
            await daemon.Client.Images.DeleteImageAsync($"{repository}:v1", force: true);
        }
    }

    [Fact]
    public async Task Push_ImageMissingLocally_FailsNamingBuildEngineDocker()
    {
        await using var registry = await FakeRegistry.StartAsync();
        using var runner = new CliRunner();
        runner.Environment["DOCKER_HOST"] = daemon.DockerHost;
        runner.Write("stack.yml", $"""
            version: 1.0
            provider:
              name: openfaas
            functions:
              missing:
                lang: csharp
                handler: ./missing
                image: {registry.Host}/cli/never-built-{daemon.RunId}:v1
            """);

        var result = await runner.RunAsync("push");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("[missing]", result.Err);
        Assert.Contains("faas-cli build --engine docker", result.Err);
        Assert.Empty(registry.Manifests);
    }
}

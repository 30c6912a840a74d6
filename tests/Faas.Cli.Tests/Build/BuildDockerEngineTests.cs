using Faas.Cli.Tests.Support;
using Faas.Testing.Docker;

namespace Faas.Cli.Tests.Build;

/// <summary><c>faas-cli build --engine docker</c> against a private dockerd: publish, then an image from the template's Dockerfile.</summary>
public class BuildDockerEngineTests(DockerDaemonFixture daemon) : IClassFixture<DockerDaemonFixture>
{
    [Fact]
    public async Task Build_WithTheDockerEngine_BuildsTheImageFromTheTemplatesDockerfile()
    {
        using var runner = new CliRunner();
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "templates", "csharp", "Dockerfile")), "the built-in csharp template (with its Dockerfile) is copied next to faas-cli at build time");

        // The template builds FROM faas/watchdog:<version>; any local image stands in for it (the build only COPYs).
        await daemon.Client.Images.TagImageAsync(daemon.BaseImage, "faas/watchdog", "0.1.0");
        var image = $"cli-docker-{daemon.RunId}:latest";
        runner.Environment["DOCKER_HOST"] = daemon.DockerHost;
        runner.Environment["FAAS_BUILD_ENGINE"] = "docker";
        var created = await runner.RunAsync("new", "hello", "--lang", "csharp");
        Assert.True(created.ExitCode == 0, created.Err);
        var stack = runner.PathOf("hello.yml");
        await File.WriteAllTextAsync(stack, (await File.ReadAllTextAsync(stack)).Replace("image: hello:latest", $"image: {image}"));

        var built = await runner.RunAsync("build", "-f", "hello.yml");

        Assert.True(built.ExitCode == 0, built.Out + built.Err);
        Assert.Contains($"Docker image: {image} built.", built.Out);
        var inspect = await daemon.Client.Images.InspectImageAsync(image);
        Assert.Contains(image, inspect.RepoTags!);
    }

    [Fact]
    public async Task Build_WithAnUnknownEngine_IsAUsageError()
    {
        using var runner = new CliRunner();
        TestTemplates.WriteTemplate(runner.PathOf("template", "csharp"));
        var created = await runner.RunAsync("new", "hello", "--lang", "csharp");
        Assert.True(created.ExitCode == 0, created.Err);

        var built = await runner.RunAsync("build", "-f", "hello.yml", "--engine", "podman");

        Assert.NotEqual(0, built.ExitCode);
        Assert.Contains("--engine must be artifact or docker", built.Err);
    }
}

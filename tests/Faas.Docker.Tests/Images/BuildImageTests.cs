using System.Net;
using System.Text;
using Faas.Docker.Tests.Infrastructure;

namespace Faas.Docker.Tests.Images;

[Collection(DockerCollection.Name)]
public sealed class BuildImageTests(DockerDaemonFixture fixture)
{
    [Fact]
    public async Task Build_FromFolder_StreamsOutputAndAppliesArgsLabelsAndFiles()
    {
        using var deadline = Deadline.Seconds(60);
        await using var scope = fixture.NewScope();
        var context = scope.CreateDirectory("build");
        await File.WriteAllTextAsync(
            Path.Combine(context, "Dockerfile"),
            $"FROM {fixture.BaseImage}\nARG GREETING=unset\nLABEL faas.test=built\nENV GREETING=$GREETING\nCOPY app/hello.txt /home/app/hello.txt\nCMD [\"cat\", \"/home/app/hello.txt\"]\n",
            deadline.Token);
        Directory.CreateDirectory(Path.Combine(context, "app"));
        await File.WriteAllTextAsync(Path.Combine(context, "app", "hello.txt"), "hello from the build context\n", deadline.Token);
        var tag = scope.Name("faas-docker-test-build") + ":latest";
        scope.TrackImage(tag);

        using var archive = await BuildContext.FromDirectoryAsync(context, deadline.Token);
        var progress = new List<BuildProgress>();
        await foreach (var line in fixture.Client.Images.BuildImageAsync(
            archive,
            new ImageBuildParameters
            {
                Tags = [tag],
                BuildArgs = new Dictionary<string, string> { ["GREETING"] = "hello-from-arg" },
                Labels = new Dictionary<string, string> { ["faas.build.label"] = "from-query" },
            },
            deadline.Token))
        {
            progress.Add(line);
        }

        Assert.True(archive.CanRead, "the client must not dispose the caller's context stream");
        var output = string.Concat(progress.Select(p => p.Stream));
        Assert.Contains("Step 1/", output, StringComparison.Ordinal);
        Assert.Contains($"FROM {fixture.BaseImage}", output, StringComparison.Ordinal);
        Assert.Contains($"Successfully tagged {tag}", output, StringComparison.Ordinal);
        var imageId = Assert.Single(progress, p => p.Aux?.Id is not null).Aux!.Id;

        var image = await fixture.Client.Images.InspectImageAsync(tag, deadline.Token);
        Assert.Equal(imageId, image.Id);
        Assert.Equal("built", image.Config!.Labels!["faas.test"]);
        Assert.Equal("from-query", image.Config.Labels["faas.build.label"]);
        Assert.Contains("GREETING=hello-from-arg", image.Config.Env!);

        // The copied file is really in the image.
        var id = await scope.CreateContainerAsync(new CreateContainerParameters { Name = scope.Name("built"), Image = tag, Labels = scope.LabelsWith() }, deadline.Token);
        await fixture.Client.Containers.StartContainerAsync(id, deadline.Token);
        Assert.Equal(0, (await fixture.Client.Containers.WaitContainerAsync(id, deadline.Token)).StatusCode);
        var logs = await LogText(id, deadline.Token);
        Assert.Equal("hello from the build context", logs);
    }

    [Fact]
    public async Task Build_FailingRunStep_ThrowsBuildExceptionWithDaemonMessage()
    {
        using var deadline = Deadline.Seconds(60);
        await using var scope = fixture.NewScope();
        var tag = scope.Name("faas-docker-test-fail") + ":latest";
        scope.TrackImage(tag);
        using var archive = await BuildContext.FromFilesAsync(
            new Dictionary<string, byte[]> { ["Dockerfile"] = Encoding.UTF8.GetBytes($"FROM {fixture.BaseImage}\nRUN echo before-failure && false\n") },
            deadline.Token);

        var seen = new List<string>();
        var error = await Assert.ThrowsAsync<DockerBuildException>(async () =>
        {
            await foreach (var line in fixture.Client.Images.BuildImageAsync(archive, new ImageBuildParameters { Tags = [tag] }, deadline.Token))
            {
                seen.Add(line.Stream ?? "");
            }
        });

        Assert.Contains("returned a non-zero code: 1", error.DaemonMessage, StringComparison.Ordinal);
        Assert.Contains(error.DaemonMessage!, error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.ErrorCode);
        Assert.Contains(seen, s => s.Contains("before-failure", StringComparison.Ordinal));
        await Assert.ThrowsAsync<DockerNotFoundException>(() => fixture.Client.Images.InspectImageAsync(tag, deadline.Token));
    }

    [Fact]
    public async Task Build_MissingDockerfile_ThrowsServerErrorWithDaemonMessage()
    {
        using var deadline = Deadline.Seconds(30);
        using var archive = await BuildContext.FromFilesAsync(new Dictionary<string, byte[]> { ["readme.txt"] = "no dockerfile here"u8.ToArray() }, deadline.Token);

        var error = await Assert.ThrowsAsync<DockerServerException>(async () =>
        {
            await foreach (var _ in fixture.Client.Images.BuildImageAsync(archive, new ImageBuildParameters { Dockerfile = "Missing.Dockerfile" }, deadline.Token))
            {
            }
        });

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Contains("Cannot locate specified Dockerfile: Missing.Dockerfile", error.DaemonMessage, StringComparison.Ordinal);
    }

    private async Task<string> LogText(string id, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        await foreach (var line in fixture.Client.Containers.GetContainerLogsAsync(id, new ContainerLogsParameters(), cancellationToken))
        {
            lines.Add(line.Text);
        }

        return string.Join('\n', lines);
    }
}

using System.Net;
using Faas.Docker.Tests.Infrastructure;

namespace Faas.Docker.Tests.Images;

[Collection(DockerCollection.Name)]
public sealed class ImageOperationsTests(DockerDaemonFixture fixture)
{
    [Fact]
    public async Task ImportedImage_InspectShowsTagAndChanges()
    {
        using var deadline = Deadline.Seconds(15);

        var image = await fixture.Client.Images.InspectImageAsync(fixture.BaseImage, deadline.Token);

        Assert.Equal(fixture.BaseImageId, image.Id);
        Assert.StartsWith("sha256:", image.Id, StringComparison.Ordinal);
        Assert.Contains(fixture.BaseImage, image.RepoTags!);
        Assert.Equal(["sh"], image.Config!.Cmd);
        Assert.True(image.Size > 1_000_000, $"size {image.Size} should include busybox");
        Assert.Equal("linux", image.Os);
    }

    [Fact]
    public async Task Tag_ThenDelete_RemovesOnlyThatTag()
    {
        using var deadline = Deadline.Seconds(15);
        await using var scope = fixture.NewScope();
        var repository = scope.Name("faas-docker-test-tag");
        scope.TrackImage($"{repository}:v1");

        await fixture.Client.Images.TagImageAsync(fixture.BaseImage, repository, "v1", deadline.Token);
        var tagged = await fixture.Client.Images.InspectImageAsync($"{repository}:v1", deadline.Token);
        var deleted = await fixture.Client.Images.DeleteImageAsync($"{repository}:v1", cancellationToken: deadline.Token);

        Assert.Equal(fixture.BaseImageId, tagged.Id);
        Assert.Contains(deleted, d => d.Untagged == $"{repository}:v1");
        Assert.DoesNotContain(deleted, d => d.Deleted is not null);
        var missing = await Assert.ThrowsAsync<DockerNotFoundException>(() => fixture.Client.Images.InspectImageAsync($"{repository}:v1", deadline.Token));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("No such image", missing.DaemonMessage, StringComparison.Ordinal);
        Assert.Equal(fixture.BaseImageId, (await fixture.Client.Images.InspectImageAsync(fixture.BaseImage, deadline.Token)).Id);
    }

    [Fact]
    public async Task Delete_MissingImage_ThrowsNotFound()
    {
        using var deadline = Deadline.Seconds(10);
        await using var scope = fixture.NewScope();

        var error = await Assert.ThrowsAsync<DockerNotFoundException>(
            () => fixture.Client.Images.DeleteImageAsync(scope.Name("faas-docker-test-missing") + ":1", cancellationToken: deadline.Token));

        Assert.Contains("No such image", error.DaemonMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tag_MissingImage_ThrowsNotFound()
    {
        using var deadline = Deadline.Seconds(10);
        await using var scope = fixture.NewScope();

        await Assert.ThrowsAsync<DockerNotFoundException>(
            () => fixture.Client.Images.TagImageAsync(scope.Name("faas-docker-test-missing"), scope.Name("faas-docker-test-other"), "v1", deadline.Token));
    }
}

using System.Text.Json;
using Faas.Docker.Tests.Infrastructure;

namespace Faas.Docker.Tests.Images;

[Collection(DockerCollection.Name)]
public sealed class PushImageTests(DockerDaemonFixture fixture)
{
    [Fact]
    public async Task Push_ToRegistryWithCredentials_UploadsVerifiedBlobsAndManifest()
    {
        using var deadline = Deadline.Seconds(90);
        await using var registry = await FakeRegistry.StartAsync("faas-user", "s3cret");
        await using var scope = fixture.NewScope();
        var repository = $"{registry.Host}/faas-test/{scope.Name("push")}";
        scope.TrackImage($"{repository}:v1");
        await fixture.Client.Images.TagImageAsync(fixture.BaseImage, repository, "v1", deadline.Token);

        var progress = new List<BuildProgress>();
        await foreach (var line in fixture.Client.Images.PushImageAsync(
            repository, "v1", new RegistryAuth { Username = "faas-user", Password = "s3cret", ServerAddress = registry.Host }, deadline.Token))
        {
            progress.Add(line);
        }

        var path = repository[(registry.Host.Length + 1)..];
        var manifestBytes = registry.Manifests[$"{path}:v1"];
        var pushed = Assert.Single(progress, p => p.Aux?.Digest is not null).Aux!;
        Assert.Equal(FakeRegistry.Sha256(manifestBytes), pushed.Digest);
        Assert.Equal("v1", pushed.Tag);
        Assert.Contains(progress, p => p.Status?.Contains("The push refers to repository", StringComparison.Ordinal) == true);

        // The manifest names the config and every layer, and the registry holds each of them (digests
        // were checked on upload).
        using var manifest = JsonDocument.Parse(manifestBytes);
        var config = manifest.RootElement.GetProperty("config").GetProperty("digest").GetString()!;
        var layers = manifest.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!).ToList();
        Assert.NotEmpty(layers);
        Assert.Contains(config, registry.Blobs.Keys);
        Assert.All(layers, digest => Assert.Contains(digest, registry.Blobs.Keys));
        var image = await fixture.Client.Images.InspectImageAsync(repository + ":v1", deadline.Token);
        Assert.Equal(image.Id, config);
    }

    [Fact]
    public async Task Push_WithoutCredentialsToRegistryThatWantsThem_ThrowsPushExceptionWithDaemonMessage()
    {
        using var deadline = Deadline.Seconds(90);
        await using var registry = await FakeRegistry.StartAsync("faas-user", "s3cret");
        await using var scope = fixture.NewScope();
        var repository = $"{registry.Host}/faas-test/{scope.Name("denied")}";
        scope.TrackImage($"{repository}:v1");
        await fixture.Client.Images.TagImageAsync(fixture.BaseImage, repository, "v1", deadline.Token);

        var error = await Assert.ThrowsAsync<DockerPushException>(async () =>
        {
            await foreach (var _ in fixture.Client.Images.PushImageAsync(repository, "v1", auth: null, deadline.Token))
            {
            }
        });

        Assert.False(string.IsNullOrWhiteSpace(error.DaemonMessage));
        Assert.Contains(error.DaemonMessage!, error.Message, StringComparison.Ordinal);
        Assert.True(registry.Unauthorized > 0);
        Assert.Empty(registry.Manifests);
    }

    [Fact]
    public async Task Push_ImageMissingLocally_ThrowsNotFound()
    {
        using var deadline = Deadline.Seconds(30);
        await using var registry = await FakeRegistry.StartAsync();

        var error = await Assert.ThrowsAsync<DockerNotFoundException>(async () =>
        {
            await foreach (var _ in fixture.Client.Images.PushImageAsync($"{registry.Host}/faas-test/never-built-{fixture.RunId}", "v1", cancellationToken: deadline.Token))
            {
            }
        });

        Assert.Contains("does not exist", error.DaemonMessage, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(registry.Blobs);
    }

    [Fact]
    public void EncodeAuth_IsBase64UrlJson_AndEmptyObjectWithoutCredentials()
    {
        Assert.Equal("e30=", ImageOperations.EncodeAuth(null));
        var encoded = ImageOperations.EncodeAuth(new RegistryAuth { Username = "u", Password = "???", ServerAddress = "r.example:5000" });
        Assert.DoesNotContain('+', encoded);
        Assert.DoesNotContain('/', encoded);
        var json = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(encoded.Replace('-', '+').Replace('_', '/')));
        Assert.Equal("{\"username\":\"u\",\"password\":\"???\",\"serveraddress\":\"r.example:5000\"}", json);
        Assert.Contains('/', Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(json))); // so the url alphabet mattered
    }
}

using System.Text;
using Faas.Docker;
using Faas.Testing.Docker;

namespace Faas.Controller.Tests.Backends.Docker;

[CollectionDefinition(Name)]
public sealed class DockerBackendCollection : ICollectionFixture<DockerBackendFixture>
{
    public const string Name = "docker backend";
}

/// <summary>
/// The shared private dockerd plus a stand-in "watchdog" image: the imported busybox running
/// <c>httpd</c> on 8080 with a static <c>/_/ready</c>, so readiness probing works without .NET in the image.
/// </summary>
public sealed class DockerBackendFixture : IAsyncLifetime
{
    public DockerDaemonFixture Daemon { get; } = new();

    public string Image => $"faas-backend-test-httpd:{Daemon.RunId}";

    public DockerClient Client => Daemon.Client;

    public async Task InitializeAsync()
    {
        await Daemon.InitializeAsync();
        await BuildHttpdImageAsync(Daemon, Image);
    }

    /// <summary>
    /// Builds the stand-in replica image on <paramref name="daemon"/>: busybox <c>httpd</c> on 8080 serving
    /// <c>/_/ready</c> and <c>/</c> (<c>index.html</c> = "served").
    /// </summary>
    public static async Task BuildHttpdImageAsync(DockerDaemonFixture daemon, string image)
    {
        var dockerfile = $"FROM {daemon.BaseImage}\n" +
            "CMD [\"/bin/busybox\", \"sh\", \"-c\", \"mkdir -p /tmp/www/_ && echo OK > /tmp/www/_/ready && echo served > /tmp/www/index.html && echo replica up && exec /bin/busybox httpd -f -p 8080 -h /tmp/www\"]\n";
        using var context = await BuildContext.FromFilesAsync(new Dictionary<string, byte[]> { ["Dockerfile"] = Encoding.UTF8.GetBytes(dockerfile) });
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var _ in daemon.Client.Images.BuildImageAsync(context, new ImageBuildParameters { Tags = [image] }, deadline.Token))
        {
        }
    }

    public Task DisposeAsync() => Daemon.DisposeAsync();
}

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
        var dockerfile = $"FROM {Daemon.BaseImage}\n" +
            "CMD [\"/bin/busybox\", \"sh\", \"-c\", \"mkdir -p /tmp/www/_ && echo OK > /tmp/www/_/ready && echo replica up && exec /bin/busybox httpd -f -p 8080 -h /tmp/www\"]\n";
        using var context = await BuildContext.FromFilesAsync(new Dictionary<string, byte[]> { ["Dockerfile"] = Encoding.UTF8.GetBytes(dockerfile) });
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var _ in Client.Images.BuildImageAsync(context, new ImageBuildParameters { Tags = [Image] }, deadline.Token))
        {
        }
    }

    public Task DisposeAsync() => Daemon.DisposeAsync();
}

using Faas.Docker;

namespace Faas.Cli.Build;

/// <summary>
/// <c>faas-cli build --engine docker</c>: after the handler is published, builds the image through the
/// Engine API with the template's Dockerfile, the published folder as <c>function/</c> in the context.
/// </summary>
internal sealed class DockerImageBuilder : IDisposable
{
    public const string EngineVariable = "FAAS_BUILD_ENGINE";

    private readonly DockerClient _docker;

    public DockerImageBuilder(string? dockerHost)
    {
        var endpoint = string.IsNullOrWhiteSpace(dockerHost) ? DockerEndpoint.Default : DockerEndpoint.Parse(dockerHost);
        _docker = new DockerClient(new DockerClientOptions { Endpoint = endpoint });
    }

    /// <summary>Builds <paramref name="image"/>; throws <see cref="CommandFailedException"/> with the daemon's reason.</summary>
    public async Task BuildAsync(string dockerfile, string publishedFolder, string image, Action<string> log, CancellationToken cancellationToken = default)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["Dockerfile"] = await File.ReadAllBytesAsync(dockerfile, cancellationToken),
        };
        foreach (var file in Directory.EnumerateFiles(publishedFolder, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(publishedFolder, file).Replace('\\', '/');
            files["function/" + relative] = await File.ReadAllBytesAsync(file, cancellationToken);
        }

        try
        {
            using var context = await BuildContext.FromFilesAsync(files, cancellationToken);
            await foreach (var progress in _docker.Images.BuildImageAsync(context, new ImageBuildParameters { Tags = [image] }, cancellationToken))
            {
                if (progress.Stream?.TrimEnd() is { Length: > 0 } line)
                {
                    log(line);
                }
            }
        }
        catch (DockerException e)
        {
            throw new CommandFailedException($"docker build of {image} failed: {e.DaemonMessage ?? e.Message}");
        }
    }

    public void Dispose() => _docker.Dispose();
}

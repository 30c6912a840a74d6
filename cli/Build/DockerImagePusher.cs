using Faas.Docker;

namespace Faas.Cli.Build;

/// <summary><c>faas-cli push</c>: pushes a local image through the Engine API at <c>DOCKER_HOST</c>.</summary>
internal sealed class DockerImagePusher : IDisposable
{
    private readonly DockerClient _docker;

    public DockerImagePusher(string? dockerHost)
    {
        var endpoint = string.IsNullOrWhiteSpace(dockerHost) ? DockerEndpoint.Default : DockerEndpoint.Parse(dockerHost);
        _docker = new DockerClient(new DockerClientOptions { Endpoint = endpoint });
    }

    /// <summary>
    /// Pushes <paramref name="image"/>, logging each status change (not every progress tick); returns the
    /// manifest digest the registry stored. Throws <see cref="CommandFailedException"/> with the reason.
    /// </summary>
    public async Task<string?> PushAsync(string image, RegistryAuth? auth, Action<string> log, CancellationToken cancellationToken = default)
    {
        var (repository, tag) = ImageReference.SplitTag(image);
        string? digest = null;
        var lastStatus = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            await foreach (var line in _docker.Images.PushImageAsync(repository, tag, auth, cancellationToken))
            {
                digest = line.Aux?.Digest ?? digest;
                if (line.Status is not { Length: > 0 } status)
                {
                    continue;
                }

                // "Pushing" repeats for every chunk with a progress bar: show it once per layer.
                var id = line.Id ?? "";
                if (lastStatus.TryGetValue(id, out var previous) && previous == status)
                {
                    continue;
                }

                lastStatus[id] = status;
                log(id.Length > 0 ? $"{id}: {status}" : status);
            }
        }
        catch (DockerNotFoundException)
        {
            throw new CommandFailedException(
                $"image {image} is not in the local Docker daemon; build it first with 'faas-cli build --engine docker'");
        }
        catch (DockerUnavailableException e)
        {
            throw new CommandFailedException($"cannot reach the Docker daemon (DOCKER_HOST) to push {image}: {e.Message}");
        }
        catch (DockerException e)
        {
            throw new CommandFailedException($"push of {image} failed: {e.DaemonMessage ?? e.Message}");
        }

        return digest;
    }

    public void Dispose() => _docker.Dispose();
}

using System.Collections.Concurrent;

namespace Faas.Docker.Tests.Infrastructure;

/// <summary>
/// One test's names and the Docker objects it created; disposing removes them (force) whether the test
/// passed or not. Names carry the run id and a random suffix so tests never share objects.
/// </summary>
public sealed class TestResources : IAsyncDisposable
{
    private readonly DockerDaemonFixture _fixture;
    private readonly ConcurrentStack<Func<CancellationToken, Task>> _cleanups = new();

    internal TestResources(DockerDaemonFixture fixture)
    {
        _fixture = fixture;
        Labels = new Dictionary<string, string> { [DockerDaemonFixture.RunLabel] = fixture.RunId };
    }

    public DockerClient Client => _fixture.Client;

    /// <summary>The run label; put it on everything so the fixture can sweep leftovers.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>A unique Docker-safe name, e.g. <c>lifecycle-1a2b3c4d5e-9f8e7d</c>.</summary>
    public string Name(string prefix) => $"{prefix}-{_fixture.RunId}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>The run labels plus <paramref name="extra"/>.</summary>
    public Dictionary<string, string> LabelsWith(params (string Key, string Value)[] extra)
    {
        var labels = new Dictionary<string, string>(Labels);
        foreach (var (key, value) in extra)
        {
            labels[key] = value;
        }

        return labels;
    }

    /// <summary>Creates a container from the base image (unless <paramref name="parameters"/> names another) and tracks it.</summary>
    public async Task<string> CreateContainerAsync(CreateContainerParameters parameters, CancellationToken cancellationToken)
    {
        var created = await Client.Containers.CreateContainerAsync(parameters, cancellationToken);
        TrackContainer(created.Id);
        return created.Id;
    }

    /// <summary>A base-image container running <paramref name="script"/> with sh, labelled and tracked.</summary>
    public Task<string> CreateShellContainerAsync(string name, string script, CancellationToken cancellationToken) =>
        CreateContainerAsync(
            new CreateContainerParameters { Name = name, Image = _fixture.BaseImage, Cmd = ["sh", "-c", script], Labels = LabelsWith() },
            cancellationToken);

    public void TrackContainer(string id) =>
        _cleanups.Push(token => Client.Containers.RemoveContainerAsync(id, force: true, removeVolumes: true, token));

    public void TrackNetwork(string id) => _cleanups.Push(token => Client.Networks.DeleteNetworkAsync(id, token));

    public void TrackImage(string name) => _cleanups.Push(token => Client.Images.DeleteImageAsync(name, force: true, token));

    /// <summary>A fresh folder under the fixture's work directory (visible to a local daemon for bind mounts).</summary>
    public string CreateDirectory(string prefix)
    {
        var path = Path.Combine(_fixture.WorkDirectory, Name(prefix));
        Directory.CreateDirectory(path);
        _cleanups.Push(_ =>
        {
            Directory.Delete(path, recursive: true);
            return Task.CompletedTask;
        });
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (_cleanups.TryPop(out var cleanup))
        {
            try
            {
                await cleanup(timeout.Token);
            }
            catch (Exception ex) when (ex is DockerException or IOException or OperationCanceledException)
            {
                // Already gone, or the fixture's sweep by label catches it.
            }
        }
    }
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Faas.Docker;

/// <summary>
/// A thin client for the Docker Engine API (v1.41, docker 20.10), shaped like Docker.DotNet: one
/// sub-client per area. Thread-safe; create one per daemon and reuse it. The API version is
/// negotiated on the first versioned call: min(<see cref="DockerClientOptions.MaxApiVersion"/>, the daemon's).
/// </summary>
public sealed class DockerClient : IDisposable
{
    private readonly DockerTransport _transport;

    /// <summary>
    /// Creates a client for <paramref name="options"/> (from <c>DOCKER_HOST</c> when null). Throws
    /// <see cref="ArgumentException"/> listing every invalid option, <see cref="FormatException"/> for a bad
    /// <c>DOCKER_HOST</c>. Nothing is sent until the first call.
    /// </summary>
    public DockerClient(DockerClientOptions? options = null, ILogger<DockerClient>? logger = null)
    {
        options ??= DockerClientOptions.FromEnvironment();
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid Docker client options: " + string.Join(" ", errors), nameof(options));
        }

        Options = options;
        _transport = new DockerTransport(options, (ILogger?)logger ?? NullLogger.Instance);
        System = new SystemOperations(_transport);
        Images = new ImageOperations(_transport);
        Containers = new ContainerOperations(_transport);
        Networks = new NetworkOperations(_transport);
        Events = new EventOperations(_transport);
    }

    public DockerClientOptions Options { get; }

    /// <summary>The API version requests use; null until the first versioned call negotiated it.</summary>
    public Version? ApiVersion => _transport.ApiVersion;

    public SystemOperations System { get; }

    public ImageOperations Images { get; }

    public ContainerOperations Containers { get; }

    public NetworkOperations Networks { get; }

    public EventOperations Events { get; }

    /// <summary>Negotiates the API version now (it otherwise happens on the first call) and returns it.</summary>
    public Task<Version> NegotiateApiVersionAsync(CancellationToken cancellationToken = default) =>
        _transport.NegotiateAsync(cancellationToken).AsTask();

    public void Dispose() => _transport.Dispose();
}

namespace Faas.Docker;

/// <summary>Daemon-wide calls: is it there, and what is it.</summary>
public sealed class SystemOperations
{
    private readonly DockerTransport _transport;

    internal SystemOperations(DockerTransport transport) => _transport = transport;

    /// <summary><c>GET /_ping</c>. Throws <see cref="DockerUnavailableException"/> when the daemon cannot be reached.</summary>
    public Task<DockerPing> PingAsync(CancellationToken cancellationToken = default) => _transport.PingAsync(cancellationToken);

    /// <summary><c>GET /version</c> on the negotiated API version.</summary>
    public Task<VersionResponse> GetVersionAsync(CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync("/version", versioned: true, DockerJsonContext.Default.VersionResponse, "Version", cancellationToken);
}

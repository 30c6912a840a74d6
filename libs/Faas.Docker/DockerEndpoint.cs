using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Faas.Docker;

/// <summary>How the daemon is reached.</summary>
public enum DockerEndpointKind
{
    /// <summary>A unix domain socket, e.g. <c>/var/run/docker.sock</c>.</summary>
    Unix,

    /// <summary>Plain HTTP over TCP (no TLS), e.g. <c>tcp://127.0.0.1:2375</c>.</summary>
    Tcp,
}

/// <summary>
/// Where the daemon listens, parsed from a <c>DOCKER_HOST</c> value: <c>unix:///path/to.sock</c> or
/// <c>tcp://host[:port]</c> (port 2375 when omitted).
/// </summary>
public sealed record DockerEndpoint
{
    /// <summary>The socket the daemon listens on by default.</summary>
    public const string DefaultSocketPath = "/var/run/docker.sock";

    /// <summary>The plain-HTTP port Docker uses when <c>tcp://host</c> names none.</summary>
    public const int DefaultTcpPort = 2375;

    private DockerEndpoint(DockerEndpointKind kind, string? socketPath, string? host, int port)
    {
        Kind = kind;
        SocketPath = socketPath;
        Host = host;
        Port = port;
    }

    /// <summary><c>unix:///var/run/docker.sock</c>.</summary>
    public static DockerEndpoint Default { get; } = Unix(DefaultSocketPath);

    public DockerEndpointKind Kind { get; }

    /// <summary>The socket path for <see cref="DockerEndpointKind.Unix"/>; null otherwise.</summary>
    public string? SocketPath { get; }

    /// <summary>The host name or address for <see cref="DockerEndpointKind.Tcp"/>; null otherwise.</summary>
    public string? Host { get; }

    /// <summary>The TCP port; 0 for unix sockets.</summary>
    public int Port { get; }

    public static DockerEndpoint Unix(string socketPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(socketPath);
        if (!socketPath.StartsWith('/'))
        {
            throw new ArgumentException($"The unix socket path '{socketPath}' must be absolute.", nameof(socketPath));
        }

        return new DockerEndpoint(DockerEndpointKind.Unix, socketPath, null, 0);
    }

    public static DockerEndpoint Tcp(string host, int port = DefaultTcpPort)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        return new DockerEndpoint(DockerEndpointKind.Tcp, null, host, port);
    }

    /// <summary>Parses a <c>DOCKER_HOST</c> value; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static DockerEndpoint Parse(string value)
    {
        return TryParse(value, out var endpoint, out var error) ? endpoint : throw new FormatException(error);
    }

    /// <summary>Parses a <c>DOCKER_HOST</c> value; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out DockerEndpoint? endpoint, [NotNullWhen(false)] out string? error)
    {
        endpoint = null;
        var text = value?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            error = "DOCKER_HOST is empty; expected unix:///path/to/docker.sock or tcp://host:port.";
            return false;
        }

        if (text.StartsWith("unix://", StringComparison.OrdinalIgnoreCase))
        {
            var path = text["unix://".Length..];
            if (path.Length == 0 || path[0] != '/')
            {
                error = $"DOCKER_HOST '{text}' must name an absolute socket path, e.g. unix:///var/run/docker.sock.";
                return false;
            }

            endpoint = Unix(path);
            error = null;
            return true;
        }

        if (text.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            // Let Uri handle IPv6 brackets; rewrite to http so it knows the scheme's shape.
            var rest = text[(text.IndexOf("://", StringComparison.Ordinal) + 3)..].TrimEnd('/');
            if (rest.Length == 0 || !Uri.TryCreate("http://" + rest, UriKind.Absolute, out var uri) || uri.AbsolutePath != "/" || uri.Host.Length == 0)
            {
                error = $"DOCKER_HOST '{text}' is not a valid tcp://host:port address.";
                return false;
            }

            var hasPort = rest.LastIndexOf(':') > rest.LastIndexOf(']');
            var port = hasPort ? uri.Port : DefaultTcpPort;
            if (hasPort && !int.TryParse(rest[(rest.LastIndexOf(':') + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                error = $"DOCKER_HOST '{text}' has an invalid port.";
                return false;
            }

            endpoint = Tcp(uri.Host, port);
            error = null;
            return true;
        }

        var scheme = text.Contains("://", StringComparison.Ordinal) ? text[..text.IndexOf("://", StringComparison.Ordinal)] : text;
        error = $"DOCKER_HOST '{text}' uses an unsupported scheme '{scheme}'; use unix:///path/to/docker.sock or tcp://host:port (TLS, ssh and npipe are not supported).";
        return false;
    }

    /// <inheritdoc />
    public override string ToString() => Kind == DockerEndpointKind.Unix
        ? "unix://" + SocketPath
        : $"tcp://{(Host!.Contains(':', StringComparison.Ordinal) ? "[" + Host + "]" : Host)}:{Port.ToString(CultureInfo.InvariantCulture)}";
}

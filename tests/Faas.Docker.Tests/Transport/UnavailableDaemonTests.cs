using System.Net.Sockets;
using Faas.Testing.Net;

namespace Faas.Docker.Tests.Transport;

/// <summary>A daemon that cannot be reached surfaces as <see cref="DockerUnavailableException"/>, never a raw socket error.</summary>
public sealed class UnavailableDaemonTests
{
    [Fact]
    public async Task MissingSocket_ThrowsUnavailable()
    {
        using var client = new DockerClient(new DockerClientOptions { Endpoint = DockerEndpoint.Unix($"/tmp/faas-no-such-{Guid.NewGuid():N}.sock") });

        var error = await Assert.ThrowsAsync<DockerUnavailableException>(() => client.System.PingAsync());

        Assert.Null(error.StatusCode);
        Assert.Contains("cannot reach the Docker daemon at unix:///tmp/faas-no-such-", error.Message, StringComparison.Ordinal);
        Assert.Null(client.ApiVersion);
    }

    [Fact]
    public async Task SocketWithoutListener_ConnectionRefused_ThrowsUnavailable()
    {
        var folder = Directory.CreateTempSubdirectory("faas-refused-").FullName;
        try
        {
            var path = Path.Combine(folder, "docker.sock");
            using (var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
            {
                // Bound but never listening: the file exists and connect(2) is refused.
                socket.Bind(new UnixDomainSocketEndPoint(path));
                using var client = new DockerClient(new DockerClientOptions { Endpoint = DockerEndpoint.Unix(path) });

                var error = await Assert.ThrowsAsync<DockerUnavailableException>(() => client.Containers.ListContainersAsync(new ContainerListParameters()));

                var socketError = Assert.IsType<SocketException>(FindInner<SocketException>(error));
                Assert.Equal(SocketError.ConnectionRefused, socketError.SocketErrorCode);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task TcpPortWithoutListener_ThrowsUnavailable()
    {
        using var client = new DockerClient(new DockerClientOptions { Endpoint = DockerEndpoint.Tcp("127.0.0.1", TestPorts.Next()) });

        await Assert.ThrowsAsync<DockerUnavailableException>(() => client.Images.InspectImageAsync("busybox"));
    }

    [Fact]
    public async Task StreamsOnUnreachableDaemon_ThrowUnavailableOnFirstMove()
    {
        using var client = new DockerClient(new DockerClientOptions { Endpoint = DockerEndpoint.Unix($"/tmp/faas-no-such-{Guid.NewGuid():N}.sock") });

        await Assert.ThrowsAsync<DockerUnavailableException>(async () =>
        {
            await foreach (var _ in client.Events.MonitorEventsAsync())
            {
            }
        });
    }

    private static Exception? FindInner<T>(Exception error)
    {
        for (Exception? current = error; current is not null; current = current.InnerException)
        {
            if (current is T)
            {
                return current;
            }
        }

        return null;
    }
}

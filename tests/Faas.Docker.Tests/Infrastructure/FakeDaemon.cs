using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Faas.Docker.Tests.Infrastructure;

/// <summary>A canned HTTP/1.1 server on a unix socket: records request lines and answers from a handler.</summary>
internal sealed class FakeDaemon : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Func<string, string, FakeResponse> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly string _folder;

    public FakeDaemon(Func<string, string, FakeResponse> handler)
    {
        _handler = handler;
        _folder = Directory.CreateTempSubdirectory("faas-fake-docker-").FullName;
        SocketPath = Path.Combine(_folder, "d.sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(16);
        _acceptLoop = AcceptAsync();
    }

    public string SocketPath { get; }

    /// <summary>"METHOD /path?query" of every request, in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public DockerClient CreateClient(Version? maxApiVersion = null) => new(new DockerClientOptions
    {
        Endpoint = DockerEndpoint.Unix(SocketPath),
        MaxApiVersion = maxApiVersion ?? DockerClientOptions.SupportedApiVersion,
        RequestTimeout = TimeSpan.FromSeconds(10),
    });

    /// <summary>Answers /_ping with <paramref name="apiVersion"/> and delegates everything else.</summary>
    public static Func<string, string, FakeResponse> WithPing(string apiVersion, Func<string, string, FakeResponse> other) =>
        (method, target) => target == "/_ping"
            ? new FakeResponse(200, "OK", "text/plain", [("API-Version", apiVersion)])
            : other(method, target);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        try
        {
            await _acceptLoop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        _stop.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var connection = await _listener.AcceptAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(connection));
        }
    }

    private async Task ServeAsync(Socket connection)
    {
        using (connection)
        await using (var stream = new NetworkStream(connection, ownsSocket: false))
        {
            var head = await ReadHeadAsync(stream);
            if (head is null)
            {
                return;
            }

            var lines = head.Split("\r\n");
            var parts = lines[0].Split(' ');
            var length = lines.Select(l => l.Split(':', 2)).Where(h => h.Length == 2 && h[0].Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                .Select(h => int.Parse(h[1].Trim(), CultureInfo.InvariantCulture)).FirstOrDefault();
            if (length > 0)
            {
                await stream.ReadExactlyAsync(new byte[length], _stop.Token);
            }

            Requests.Enqueue($"{parts[0]} {parts[1]}");
            var response = _handler(parts[0], parts[1]);
            var body = Encoding.UTF8.GetBytes(response.Body);
            var builder = new StringBuilder()
                .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {response.Status} X\r\n")
                .Append(CultureInfo.InvariantCulture, $"Content-Type: {response.ContentType}\r\n")
                .Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n")
                .Append("Connection: close\r\n");
            foreach (var (name, value) in response.Headers ?? [])
            {
                builder.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
            }

            await stream.WriteAsync(Encoding.ASCII.GetBytes(builder.Append("\r\n").ToString()), _stop.Token);
            await stream.WriteAsync(body, _stop.Token);
        }
    }

    private async Task<string?> ReadHeadAsync(Stream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (buffer.Count < 64 * 1024)
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0)
            {
                return null;
            }

            buffer.Add(one[0]);
            if (buffer.Count >= 4 && buffer[^4] == '\r' && buffer[^3] == '\n' && buffer[^2] == '\r' && buffer[^1] == '\n')
            {
                return Encoding.ASCII.GetString(buffer.ToArray(), 0, buffer.Count - 4);
            }
        }

        return null;
    }
}

internal sealed record FakeResponse(int Status, string Body, string ContentType = "application/json", (string Name, string Value)[]? Headers = null);

using System.Net;
using System.Net.Sockets;

namespace Faas.Testing.Net;

/// <summary>
/// A loopback TCP relay in front of the API server (TLS passes through untouched), so a test can cut every
/// open connection and refuse new ones (<see cref="Cut"/>) and later let clients in again (<see cref="Restore"/>).
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = [];
    private readonly Task _acceptLoop;
    private volatile bool _refusing;

    public TcpProxy(Uri target)
    {
        _target = new IPEndPoint(IPAddress.Parse(target.Host), target.Port);
        _listener.Start();
        Address = new Uri($"https://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _acceptLoop = AcceptAsync();
    }

    /// <summary>The address clients use instead of the server's.</summary>
    public Uri Address { get; }

    /// <summary>How many connections were accepted and relayed so far.</summary>
    public int Accepted { get; private set; }

    /// <summary>Drops every relayed connection and closes new ones at once, until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        _refusing = true;
        lock (_open)
        {
            foreach (var client in _open)
            {
                client.Client.Close(0);
            }

            _open.Clear();
        }
    }

    public void Restore() => _refusing = false;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        try
        {
            await _acceptLoop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            if (_refusing)
            {
                client.Client.Close(0);
                client.Dispose();
                continue;
            }

            Accepted++;
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var upstream = new TcpClient();
        lock (_open)
        {
            _open.Add(client);
            _open.Add(upstream);
        }

        try
        {
            await upstream.ConnectAsync(_target, _stop.Token);
            var down = client.GetStream();
            var up = upstream.GetStream();
            await Task.WhenAny(down.CopyToAsync(up, _stop.Token), up.CopyToAsync(down, _stop.Token));
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A cut or a closed side ends the relay.
        }
        finally
        {
            lock (_open)
            {
                _open.Remove(client);
                _open.Remove(upstream);
            }

            client.Dispose();
        }
    }
}

using System.Net;
using System.Net.Sockets;

namespace Faas.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Loopback ports for the servers a test starts. A port is free when picked but only taken when its
/// server binds, so two picks before either binds could return the same port (the gateway once got
/// the controller's); a port is therefore never handed out twice in this test process.
/// </summary>
public static class FreePort
{
    private static readonly HashSet<int> HandedOut = [];

    public static int Next()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (HandedOut)
            {
                if (HandedOut.Add(port))
                {
                    return port;
                }
            }
        }

        throw new InvalidOperationException("no loopback port that was not handed out already in 100 attempts");
    }
}

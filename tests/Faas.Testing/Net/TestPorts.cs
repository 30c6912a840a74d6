using System.Net;
using System.Net.Sockets;

namespace Faas.Testing.Net;

/// <summary>
/// Loopback ports for servers a test starts later (a child process, a listener bound after the pick)
/// and for "nothing listens here" addresses.
/// </summary>
/// <remarks>
/// Picking with a bind to port 0 and releasing it races every other process on the machine: the
/// test projects run in parallel, the process backend under test reserves replica ports the same
/// way, and each outgoing connection takes an ephemeral port. CI once failed with a test's controller
/// port answering its health check and then refusing the gateway (most likely another process's server
/// there, gone a moment later). So ports come from below the
/// kernel's ephemeral range (which neither connect() nor a bind to port 0 hands out), and each one is
/// claimed across processes (<see cref="MachineClaims"/>) until this process exits.
/// </remarks>
public static class TestPorts
{
    private const int RangeSize = 12_000;
    private const int LowestPort = 10_000;

    private static readonly object Gate = new();
    private static readonly (int Low, int High) Range = ChooseRange();
    private static int _cursor = Random.Shared.Next(Range.Low, Range.High + 1);

    /// <summary>A port no other test process holds and nothing listens on now; never handed out twice by this process.</summary>
    public static int Next()
    {
        lock (Gate)
        {
            for (var attempt = 0; attempt <= Range.High - Range.Low; attempt++)
            {
                var port = _cursor;
                _cursor = _cursor >= Range.High ? Range.Low : _cursor + 1;
                // Free now (something outside the tests may listen there) and claimed by no other test.
                if (IsFree(port) && MachineClaims.TryClaim($"port-{port}"))
                {
                    return port;
                }
            }
        }

        throw new InvalidOperationException($"no free loopback port in {Range.Low}-{Range.High} that another test process does not hold");
    }

    /// <summary>A loopback URL on a port where nothing listens (connections are refused at once) and no test will start a server.</summary>
    public static string ClosedUrl(string scheme = "http") => $"{scheme}://127.0.0.1:{Next()}";

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static (int Low, int High) ChooseRange()
    {
        var ephemeralLow = 32768;
        try
        {
            var text = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            ephemeralLow = int.Parse(text[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException)
        {
        }

        var high = ephemeralLow - 1;
        var low = Math.Max(LowestPort, high - RangeSize + 1);
        if (high - low < 1000)
        {
            throw new InvalidOperationException($"the ephemeral port range starts at {ephemeralLow}: too low to keep test ports below it");
        }

        return (low, high);
    }
}

using System.Globalization;
using Faas.Testing.Net;

namespace Faas.Testing.Docker;

/// <summary>
/// The default address pool (<c>10.&lt;octet&gt;.0.0/16</c>) of a test's private dockerd: one no other
/// test daemon on the machine holds (<see cref="MachineClaims"/>) and no host route already covers.
/// </summary>
public static class DockerAddressPools
{
    private const int First = 100;
    private const int Count = 100;

    /// <summary>The second octet of a free pool, held by this process until it exits.</summary>
    public static int Claim()
    {
        var start = Random.Shared.Next(Count);
        var routed = RoutedSecondOctets();
        for (var i = 0; i < Count; i++)
        {
            var octet = First + ((start + i) % Count);
            if (!routed.Contains(octet) && MachineClaims.TryClaim($"docker-pool-10.{octet}"))
            {
                return octet;
            }
        }

        throw new InvalidOperationException($"every Docker address pool 10.{First}-{First + Count - 1}.0.0/16 is claimed by another test or routed on this host");
    }

    /// <summary>Second octets of the 10.x routes in /proc/net/route (a daemon of an earlier, killed run; a VPN).</summary>
    private static HashSet<int> RoutedSecondOctets()
    {
        var octets = new HashSet<int>();
        try
        {
            foreach (var line in File.ReadLines("/proc/net/route").Skip(1))
            {
                var fields = line.Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                // Destination is the address in host (little-endian) byte order: "0000640A" is 10.100.0.0.
                if (fields.Length > 1 && uint.TryParse(fields[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var destination)
                    && (destination & 0xFF) == 10)
                {
                    octets.Add((int)((destination >> 8) & 0xFF));
                }
            }
        }
        catch (IOException)
        {
            // No route table to read: the claims alone keep test daemons apart.
        }

        return octets;
    }
}

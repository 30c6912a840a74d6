using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Faas.Gateway.Metrics;

/// <summary>
/// The separate Kestrel listener for <c>/metrics</c> (<c>metrics_port</c>), so scrapes never share
/// the invocation port. Requests are told apart by the local port they arrived on.
/// </summary>
public sealed class MetricsListener
{
    private ListenOptions? _options;

    /// <summary>The bound port (known once the server started; resolves <c>metrics_port=0</c>).</summary>
    public int Port => (_options?.IPEndPoint?.Port) ?? -1;

    internal void Bound(ListenOptions options) => _options = options;
}

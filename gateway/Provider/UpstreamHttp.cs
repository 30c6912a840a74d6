using System.Diagnostics;
using System.Net;

namespace Faas.Gateway.Provider;

/// <summary>
/// The one HTTP connection pool the gateway uses for replicas and the controller: no proxy, no
/// redirects, no cookies, no decompression (bytes pass through as sent), pooled connections.
/// </summary>
public sealed class UpstreamHttp : IDisposable
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly SocketsHttpHandler _handler;

    public UpstreamHttp()
    {
        _handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = ConnectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            MaxConnectionsPerServer = int.MaxValue,
            EnableMultipleHttp2Connections = true,
            // The incoming trace headers are copied with the request; do not add a second set.
            ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator(),
        };
        Invoker = new HttpMessageInvoker(_handler, disposeHandler: false);
        Client = new HttpClient(_handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>For the forwarder (replicas and <c>/system/*</c> passthrough).</summary>
    public HttpMessageInvoker Invoker { get; }

    /// <summary>For the gateway's own calls to the controller; callers bound each call with a token.</summary>
    public HttpClient Client { get; }

    public void Dispose()
    {
        Client.Dispose();
        Invoker.Dispose();
        _handler.Dispose();
    }
}

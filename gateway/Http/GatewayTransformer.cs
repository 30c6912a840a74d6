using Yarp.ReverseProxy.Forwarder;

namespace Faas.Gateway.Http;

/// <summary>
/// Copies the request as YARP's empty transformer does, then removes the hop-by-hop headers
/// OpenFaaS strips that YARP itself passes on. Stateless: one instance serves every request.
/// </summary>
public class GatewayTransformer : HttpTransformer
{
    // Connection, Upgrade, TE and Transfer-Encoding are already handled by the forwarder itself.
    private static readonly string[] HopByHop =
        ["Proxy-Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Trailer"];

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        var incoming = httpContext.Request.Headers;
        foreach (var name in HopByHop)
        {
            if (incoming.ContainsKey(name))
            {
                proxyRequest.Headers.Remove(name);
            }
        }
    }
}

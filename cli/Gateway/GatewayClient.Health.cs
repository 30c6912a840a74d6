using System.Net;

namespace Faas.Cli.Gateway;

public sealed partial class GatewayClient
{
    /// <summary>
    /// <c>GET /healthz</c> without credentials (the gateway does not protect it); returns the status.
    /// An unreachable gateway throws <see cref="GatewayException"/>.
    /// </summary>
    public async Task<HttpStatusCode> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Gateway + "/healthz");
        using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseContentRead, _timeout, cancellationToken);
        return response.StatusCode;
    }
}

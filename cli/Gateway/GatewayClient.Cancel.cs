using System.Net;

namespace Faas.Cli.Gateway;

public sealed partial class GatewayClient
{
    /// <summary>
    /// <c>DELETE /async-function/{callId}</c> (no credentials, like the status): the cancelled call's status
    /// JSON, or null when the gateway does not know the call; 409 (already running or finished) throws with the gateway's reason.
    /// </summary>
    public async Task<string?> CancelCallAsync(string callId, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, $"{Gateway}/async-function/{Uri.EscapeDataString(callId)}");
        using var response = await SendAndDisposeRequestAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }
}

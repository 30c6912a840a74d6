using System.Net;

namespace Faas.Cli.Gateway;

/// <summary>The async-invocation routes: call status (no credentials, like invocations) and dead letters (/system, with credentials).</summary>
public sealed partial class GatewayClient
{
    /// <summary><c>GET /async-function/{callId}</c>: the status JSON, or null when the gateway does not know the call.</summary>
    public async Task<string?> GetCallStatusAsync(string callId, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"{Gateway}/async-function/{Uri.EscapeDataString(callId)}");
        using var response = await SendAndDisposeRequestAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary><c>GET /system/async/dead-letters</c>: a JSON array.</summary>
    public async Task<string> ListDeadLettersAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, "/system/async/dead-letters", null, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary><c>POST /system/async/dead-letters/{callId|all}/redrive</c>: null when the call is not dead-lettered.</summary>
    public async Task<string?> RedriveAsync(string callIdOrAll, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/system/async/dead-letters/{Uri.EscapeDataString(callIdOrAll)}/redrive", null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }
}

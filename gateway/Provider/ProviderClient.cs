using System.Net;
using System.Net.Http.Json;
using Faas.Contracts.Endpoints;
using Faas.Contracts.Functions;
using Faas.Contracts.Json;
using Faas.Contracts.System;
using Faas.Gateway.Auth;
using Faas.Gateway.Configuration;

namespace Faas.Gateway.Provider;

/// <summary>What the controller said about a function the routing table does not know.</summary>
public enum LookupOutcome
{
    Found,
    NotFound,
    Unreachable,
}

/// <summary>Outcome of a call to the controller; <see cref="Error"/> explains an unreachable one.</summary>
public readonly record struct ProviderResult<T>(T? Value, string? Error);

/// <summary>
/// The gateway's own calls to the controller (provider), with basic auth injected. Failures are
/// values, not exceptions, except for the endpoint stream whose reader handles them.
/// </summary>
public sealed class ProviderClient(GatewayOptions options, UpstreamHttp http, BasicAuthenticator auth)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);
    private readonly string _prefix = options.ProviderPrefix;

    public string BaseUrl => _prefix;

    /// <summary>Opens <c>GET /system/endpoints</c>; the caller owns (and disposes) the response.</summary>
    public async Task<HttpResponseMessage> OpenEndpointStreamAsync(CancellationToken cancellationToken = default)
    {
        using var request = NewRequest(HttpMethod.Get, EndpointStream.Path);
        request.Headers.Accept.ParseAdd(EndpointStream.ContentType);
        var response = await http.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var status = response.StatusCode;
            response.Dispose();
            throw new HttpRequestException($"{EndpointStream.Path} answered {(int)status} {status}", null, status);
        }

        return response;
    }

    /// <summary><c>GET /system/function/{name}?namespace=</c>: does the controller know the function?</summary>
    public async Task<ProviderResult<LookupOutcome>> LookupFunctionAsync(string name, string @namespace, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CallTimeout);
        try
        {
            using var request = NewRequest(HttpMethod.Get, $"/system/function/{Uri.EscapeDataString(name)}?namespace={Uri.EscapeDataString(@namespace)}");
            using var response = await http.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            return response.StatusCode switch
            {
                HttpStatusCode.OK => new(LookupOutcome.Found, null),
                HttpStatusCode.NotFound or HttpStatusCode.BadRequest => new(LookupOutcome.NotFound, null),
                var status => new(LookupOutcome.Unreachable, $"the controller at {_prefix} answered {(int)status} {status}"),
            };
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new(LookupOutcome.Unreachable, Unreachable(e));
        }
    }

    /// <summary><c>POST /system/scale-function/{name}?namespace=</c>; true on 200/202.</summary>
    public async Task<ProviderResult<bool>> ScaleAsync(string name, string @namespace, ulong replicas, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CallTimeout);
        try
        {
            using var request = NewRequest(HttpMethod.Post, $"/system/scale-function/{Uri.EscapeDataString(name)}?namespace={Uri.EscapeDataString(@namespace)}");
            request.Content = JsonContent.Create(
                new ScaleServiceRequest { ServiceName = name, Namespace = @namespace, Replicas = replicas },
                FaasJsonContext.Default.ScaleServiceRequest);
            using var response = await http.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            return response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted
                ? new(true, null)
                : new(false, $"the controller at {_prefix} answered {(int)response.StatusCode} {response.StatusCode} to scale-function");
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new(false, Unreachable(e));
        }
    }

    /// <summary><c>GET /system/info</c> of the controller.</summary>
    public async Task<ProviderResult<ProviderInfo>> GetInfoAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CallTimeout);
        try
        {
            using var request = NewRequest(HttpMethod.Get, "/system/info");
            using var response = await http.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return new(null, $"the controller at {_prefix} answered {(int)response.StatusCode} {response.StatusCode} to /system/info");
            }

            var info = await response.Content.ReadFromJsonAsync(FaasJsonContext.Default.ProviderInfo, timeout.Token).ConfigureAwait(false);
            return new(info ?? new ProviderInfo(), null);
        }
        catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new(null, Unreachable(e));
        }
    }

    /// <summary>The message for a controller that cannot be reached.</summary>
    public string Unreachable(Exception? e) =>
        e is null ? $"the controller at {_prefix} is unreachable" : $"the controller at {_prefix} is unreachable: {Reason(e)}";

    /// <summary>A short reason for a transport failure: the innermost message.</summary>
    public static string Reason(Exception e)
    {
        if (e is OperationCanceledException or TimeoutException)
        {
            return "timed out";
        }

        var inner = e;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner.Message;
    }

    private HttpRequestMessage NewRequest(HttpMethod method, string pathAndQuery)
    {
        var request = new HttpRequestMessage(method, _prefix + pathAndQuery) { Version = HttpVersion.Version11 };
        request.Headers.Authorization = auth.ControllerAuthorization;
        return request;
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Faas.Cli.Config;
using Faas.Contracts.Functions;
using Faas.Contracts.Json;
using Faas.Contracts.Logs;
using Faas.Contracts.System;

namespace Faas.Cli.Gateway;

/// <summary>
/// The one typed client every command uses to talk to an OpenFaaS-compatible gateway. Unexpected
/// statuses become <see cref="GatewayException"/> with faas-cli's wording
/// (<c>Server returned unexpected status code: 400 - body</c>); an unreachable gateway becomes
/// <c>Cannot connect to OpenFaaS on URL: ...</c>. Credentials go to <c>/system/*</c> only, never
/// to function calls.
/// </summary>
public sealed partial class GatewayClient : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private readonly HttpClient _http;
    private readonly AuthenticationHeaderValue? _auth;
    private readonly TimeSpan _timeout;

    public GatewayClient(HttpClient http, string gateway, AuthenticationHeaderValue? auth, TimeSpan? timeout = null)
    {
        _http = http;
        _http.Timeout = Timeout.InfiniteTimeSpan; // per call below; streams (logs, invoke) have none
        Gateway = GatewayUrl.Normalize(gateway);
        _auth = auth;
        _timeout = timeout ?? DefaultTimeout;
    }

    public string Gateway { get; }

    /// <summary>
    /// A client for <paramref name="gateway"/>: bearer <paramref name="token"/> when given, else the
    /// credentials stored by <c>faas-cli login</c> for that gateway, else none.
    /// </summary>
    public static GatewayClient Create(CliContext context, string gateway, string? token = null, bool tlsNoVerify = false, TimeSpan? timeout = null)
    {
        gateway = GatewayUrl.Normalize(gateway);
        AuthenticationHeaderValue? auth = null;
        if (!string.IsNullOrEmpty(token))
        {
            auth = new AuthenticationHeaderValue("Bearer", token);
        }
        else if (ConfigFile.Load(ConfigFile.PathFor(context)).Find(gateway) is { Token: { Length: > 0 } stored } entry)
        {
            auth = new AuthenticationHeaderValue(entry.Auth == ConfigFile.OAuth2Auth ? "Bearer" : "Basic", stored);
        }

        return new GatewayClient(CreateHttpClient(context, tlsNoVerify), gateway, auth, timeout);
    }

    public static HttpClient CreateHttpClient(CliContext context, bool tlsNoVerify)
    {
        if (context.HttpHandler is { } handler)
        {
            return new HttpClient(handler, disposeHandler: false);
        }

        var sockets = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) };
        if (tlsNoVerify)
        {
            sockets.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }

        return new HttpClient(sockets, disposeHandler: true);
    }

    public async Task<IReadOnlyList<FunctionStatus>> ListFunctionsAsync(string? @namespace, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, "/system/functions" + Query(("namespace", @namespace)), null, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await ReadJsonAsync(response, FaasJsonContext.Default.ListFunctionStatus, cancellationToken) ?? [];
    }

    /// <summary>The function, or null when the gateway answers 404.</summary>
    public async Task<FunctionStatus?> GetFunctionAsync(string name, string? @namespace, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/system/function/{Uri.EscapeDataString(name)}" + Query(("namespace", @namespace)), null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, cancellationToken);
        return await ReadJsonAsync(response, FaasJsonContext.Default.FunctionStatus, cancellationToken);
    }

    /// <summary>
    /// faas-cli's deploy: PUT (update) first, and POST when the gateway answers 404; POST only when
    /// <paramref name="update"/> is false. Returns the successful status.
    /// </summary>
    public async Task<HttpStatusCode> DeployAsync(FunctionDeployment deployment, bool update, CancellationToken cancellationToken = default)
    {
        if (update)
        {
            using var put = await SendAsync(HttpMethod.Put, "/system/functions", Json(deployment, FaasJsonContext.Default.FunctionDeployment), cancellationToken);
            if (put.StatusCode != HttpStatusCode.NotFound)
            {
                await EnsureSuccessAsync(put, cancellationToken);
                return put.StatusCode;
            }
        }

        using var post = await SendAsync(HttpMethod.Post, "/system/functions", Json(deployment, FaasJsonContext.Default.FunctionDeployment), cancellationToken);
        await EnsureSuccessAsync(post, cancellationToken);
        return post.StatusCode;
    }

    /// <summary>False when there was no such function (404).</summary>
    public async Task<bool> DeleteFunctionAsync(string name, string? @namespace, CancellationToken cancellationToken = default)
    {
        var body = new DeleteFunctionRequest { FunctionName = name, Namespace = @namespace };
        using var response = await SendAsync(HttpMethod.Delete, "/system/functions", Json(body, FaasJsonContext.Default.DeleteFunctionRequest), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureSuccessAsync(response, cancellationToken);
        return true;
    }

    /// <summary>False when there was no such function (404).</summary>
    public async Task<bool> ScaleAsync(string name, ulong replicas, string? @namespace, CancellationToken cancellationToken = default)
    {
        var body = new ScaleServiceRequest { ServiceName = name, Replicas = replicas, Namespace = @namespace };
        using var response = await SendAsync(HttpMethod.Post, $"/system/scale-function/{Uri.EscapeDataString(name)}" + Query(("namespace", @namespace)), Json(body, FaasJsonContext.Default.ScaleServiceRequest), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureSuccessAsync(response, cancellationToken);
        return true;
    }

    public async Task<GatewayInfo> GetInfoAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, "/system/info", null, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await ReadJsonAsync(response, FaasJsonContext.Default.GatewayInfo, cancellationToken) ?? new GatewayInfo();
    }

    /// <summary>Calls <c>GET /system/functions</c> with the given basic credentials and returns the status (login).</summary>
    public async Task<HttpStatusCode> CheckBasicAuthAsync(string username, string password, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Gateway + "/system/functions");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", ConfigFile.EncodeBasic(username, password));
        using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseContentRead, _timeout, cancellationToken);
        return response.StatusCode;
    }

    /// <summary>Streams <c>GET /system/logs</c> line by line as the gateway flushes them.</summary>
    public async IAsyncEnumerable<LogMessage> StreamLogsAsync(LogRequest logRequest, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var query = Query(
            ("name", logRequest.Name),
            ("namespace", logRequest.Namespace),
            ("instance", logRequest.Instance),
            ("follow", logRequest.Follow ? "true" : "false"),
            ("since", logRequest.Since?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)),
            ("tail", logRequest.Tail is { } tail and not 0 ? tail.ToString(System.Globalization.CultureInfo.InvariantCulture) : null));
        using var request = NewSystemRequest(HttpMethod.Get, "/system/logs" + query);
        using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout: null, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            LogMessage? message;
            try
            {
                message = JsonSerializer.Deserialize(line, FaasJsonContext.Default.LogMessage);
            }
            catch (JsonException ex)
            {
                throw new GatewayException($"the gateway sent a log line that is not a JSON log message: {Truncate(line)}", inner: ex);
            }

            if (message is not null)
            {
                yield return message;
            }
        }
    }

    /// <summary>Calls a function (no gateway credentials are sent). The caller disposes the response.</summary>
    public async Task<HttpResponseMessage> InvokeAsync(InvokeRequest invoke, CancellationToken cancellationToken = default)
    {
        var path = (invoke.Async ? "/async-function/" : "/function/") + invoke.Function;
        var query = string.Join("&", invoke.Query.Select(q => Uri.EscapeDataString(q.Key) + "=" + Uri.EscapeDataString(q.Value)));
        using var request = new HttpRequestMessage(new HttpMethod(invoke.Method), Gateway + path + (query.Length > 0 ? "?" + query : ""));
        if (invoke.Body is not null)
        {
            request.Content = new ByteArrayContent(invoke.Body);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", invoke.ContentType);
        }

        foreach (var (name, value) in invoke.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.Remove(name);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return await SendCoreAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout: null, cancellationToken);
    }

    /// <summary>Throws <see cref="GatewayException"/> unless the status is 2xx, with the body in the message.</summary>
    public static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var code = (int)response.StatusCode;
        var body = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            body = "unauthorized access, run \"faas-cli login\" to setup authentication for this server";
        }

        throw new GatewayException($"Server returned unexpected status code: {code} - {Truncate(body)}", code);
    }

    public void Dispose() => _http.Dispose();

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string pathAndQuery, HttpContent? content, CancellationToken cancellationToken)
    {
        var request = NewSystemRequest(method, pathAndQuery);
        request.Content = content;
        return SendAndDisposeRequestAsync(request, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAndDisposeRequestAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            return await SendCoreAsync(request, HttpCompletionOption.ResponseContentRead, _timeout, cancellationToken);
        }
    }

    private HttpRequestMessage NewSystemRequest(HttpMethod method, string pathAndQuery)
    {
        var request = new HttpRequestMessage(method, Gateway + pathAndQuery);
        request.Headers.Authorization = _auth;
        return request;
    }

    private async Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, HttpCompletionOption completion, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } limit && limit > TimeSpan.Zero)
        {
            timeoutSource.CancelAfter(limit);
        }

        try
        {
            return await _http.SendAsync(request, completion, timeoutSource.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new GatewayException($"timed out after {timeout?.TotalSeconds}s waiting for OpenFaaS on URL: {Gateway}", inner: ex);
        }
        catch (HttpRequestException ex) when (IsConnectFailure(ex))
        {
            throw new GatewayException($"Cannot connect to OpenFaaS on URL: {Gateway}. Is the gateway running?", inner: ex);
        }
        catch (HttpRequestException ex)
        {
            throw new GatewayException($"request to OpenFaaS on URL: {Gateway} failed: {ex.Message}", inner: ex);
        }
    }

    private static bool IsConnectFailure(HttpRequestException ex) =>
        ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
        || ex.InnerException is SocketException;

    private static JsonContent Json<T>(T value, global::System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo) =>
        JsonContent.Create(value, typeInfo);

    private static async Task<T?> ReadJsonAsync<T>(HttpResponseMessage response, global::System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return JsonSerializer.Deserialize(text, typeInfo);
        }
        catch (JsonException ex)
        {
            throw new GatewayException($"the gateway answered {(int)response.StatusCode} with a body that is not the expected JSON: {Truncate(text)}", (int)response.StatusCode, ex);
        }
    }

    private static string Query(params (string Key, string? Value)[] parameters)
    {
        var parts = parameters
            .Where(p => !string.IsNullOrEmpty(p.Value))
            .Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value!))
            .ToList();
        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }

    private static string Truncate(string text) => text.Length <= 2000 ? text : text[..2000] + "...";
}

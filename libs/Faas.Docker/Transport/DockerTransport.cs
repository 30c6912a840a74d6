using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;

namespace Faas.Docker;

/// <summary>
/// HTTP to the daemon: connection (unix socket or tcp), API version negotiation, timeouts and the
/// mapping of failures to <see cref="DockerException"/> leaves. Every sub-client goes through here.
/// </summary>
internal sealed class DockerTransport : IDisposable
{
    private readonly HttpClient _http;
    private readonly DockerClientOptions _options;
    private readonly string _endpoint;
    private readonly SemaphoreSlim _negotiation = new(1, 1);
    private volatile Version? _apiVersion;

    public DockerTransport(DockerClientOptions options, ILogger logger)
    {
        _options = options;
        Logger = logger;
        _endpoint = options.Endpoint.ToString();

        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            UseProxy = false,
            AllowAutoRedirect = false,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };

        Uri baseAddress;
        if (options.Endpoint.Kind == DockerEndpointKind.Unix)
        {
            var path = options.Endpoint.SocketPath!;
            handler.ConnectCallback = (_, cancellationToken) => ConnectUnixAsync(path, cancellationToken);
            baseAddress = new Uri("http://docker/");
        }
        else
        {
            var host = options.Endpoint.Host!.Contains(':', StringComparison.Ordinal) ? $"[{options.Endpoint.Host}]" : options.Endpoint.Host;
            baseAddress = new Uri($"http://{host}:{options.Endpoint.Port.ToString(CultureInfo.InvariantCulture)}/");
        }

        // Timeouts are applied per request: streams (logs, events, build, wait) must be able to run for hours.
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }

    public ILogger Logger { get; }

    /// <summary>The negotiated API version; null until the first versioned request.</summary>
    public Version? ApiVersion => _apiVersion;

    public TimeSpan RequestTimeout => _options.RequestTimeout;

    /// <summary>
    /// Picks min(our maximum, the daemon's version) once; failures are not cached so a daemon that
    /// comes up later is negotiated with on the next call.
    /// </summary>
    public async ValueTask<Version> NegotiateAsync(CancellationToken cancellationToken)
    {
        if (_apiVersion is { } known)
        {
            return known;
        }

        await _negotiation.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_apiVersion is { } raced)
            {
                return raced;
            }

            var ping = await PingAsync(cancellationToken).ConfigureAwait(false);
            var serverText = ping.ApiVersion;
            if (serverText is null)
            {
                // Very old daemons do not send API-Version on /_ping; /version always carries it.
                var version = await SendJsonAsync("/version", versioned: false, DockerJsonContext.Default.VersionResponse, "Version", cancellationToken).ConfigureAwait(false);
                serverText = version.ApiVersion;
            }

            var server = Version.TryParse(serverText, out var parsed) ? parsed : _options.MaxApiVersion;
            var chosen = server < _options.MaxApiVersion ? server : _options.MaxApiVersion;
            _apiVersion = new Version(chosen.Major, chosen.Minor);
            DockerClientLog.ApiVersionNegotiated(Logger, _endpoint, serverText ?? "(unknown)", _apiVersion.ToString());
            return _apiVersion;
        }
        finally
        {
            _negotiation.Release();
        }
    }

    /// <summary>GET /_ping (unversioned).</summary>
    public async Task<DockerPing> PingAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, "/_ping", versioned: false, null, _options.RequestTimeout, "Ping", cancellationToken).ConfigureAwait(false);
        return new DockerPing(
            Header(response, "API-Version"),
            Header(response, "OSType"),
            string.Equals(Header(response, "Docker-Experimental"), "true", StringComparison.OrdinalIgnoreCase));

        static string? Header(HttpResponseMessage response, string name) =>
            response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
    }

    /// <summary>Sends a request whose answer is JSON and reads it within the request timeout.</summary>
    public Task<T> SendJsonAsync<T>(string path, bool versioned, JsonTypeInfo<T> responseType, string operation, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Get, path, versioned, null, responseType, _options.RequestTimeout, operation, cancellationToken);

    public async Task<T> SendJsonAsync<T>(
        HttpMethod method, string path, bool versioned, HttpContent? content, JsonTypeInfo<T> responseType, TimeSpan timeout, string operation, CancellationToken cancellationToken)
    {
        using var timeoutSource = CreateTimeout(timeout, cancellationToken);
        try
        {
            using var response = await SendAsync(method, path, versioned, content, Timeout.InfiniteTimeSpan, operation, timeoutSource.Token).ConfigureAwait(false);
            var stream = await response.Content.ReadAsStreamAsync(timeoutSource.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await JsonSerializer.DeserializeAsync(stream, responseType, timeoutSource.Token).ConfigureAwait(false)
                    ?? throw new DockerServerException($"{operation}: the daemon answered with an empty body", response.StatusCode);
            }
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(operation, timeout, ex);
        }
        catch (Exception ex) when (IsTransportFailure(ex))
        {
            throw Unavailable(operation, ex);
        }
        catch (JsonException ex)
        {
            throw Unreadable(operation, ex);
        }
    }

    /// <summary>Sends a request whose answer has no body worth reading; returns the status (e.g. 304 for "already so").</summary>
    public async Task<HttpStatusCode> SendNoContentAsync(HttpMethod method, string path, HttpContent? content, TimeSpan timeout, string operation, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, path, versioned: true, content, timeout, operation, cancellationToken).ConfigureAwait(false);
        return response.StatusCode;
    }

    /// <summary>
    /// Sends a request and returns once the headers arrived, leaving the body to the caller, who
    /// disposes the response. Error statuses are read and thrown here. <paramref name="timeout"/> covers
    /// the whole exchange including reading the body only when the caller reads it inside this call.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        string path,
        bool versioned,
        HttpContent? content,
        TimeSpan timeout,
        string operation,
        CancellationToken cancellationToken,
        IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        using var timeoutSource = CreateTimeout(timeout, cancellationToken);
        var token = timeoutSource.Token;
        try
        {
            var prefix = "";
            if (versioned)
            {
                var version = await NegotiateAsync(token).ConfigureAwait(false);
                prefix = $"/v{version.Major.ToString(CultureInfo.InvariantCulture)}.{version.Minor.ToString(CultureInfo.InvariantCulture)}";
            }

            using var request = new HttpRequestMessage(method, prefix + path) { Content = content };
            foreach (var (name, value) in headers ?? [])
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            if ((int)response.StatusCode < 400)
            {
                return response;
            }

            using (response)
            {
                var body = await response.Content.ReadAsStringAsync(token).ConfigureAwait(false);
                throw DockerException.FromResponse(response.StatusCode, ParseErrorMessage(body, response.StatusCode), operation);
            }
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(operation, timeout, ex);
        }
        catch (Exception ex) when (IsTransportFailure(ex))
        {
            throw Unavailable(operation, ex);
        }
    }

    public static HttpContent JsonContent<T>(T value, JsonTypeInfo<T> type)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, type));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    public static HttpContent TarContent(Stream tar) => new TarStreamContent(tar);

    /// <summary>True for failures of the connection itself, as opposed to an answer from the daemon.</summary>
    public static bool IsTransportFailure(Exception exception) =>
        exception is HttpRequestException or IOException or SocketException;

    public DockerUnavailableException Unavailable(string operation, Exception exception)
    {
        DockerClientLog.DaemonUnavailable(Logger, operation, _endpoint, exception);
        return new DockerUnavailableException($"{operation}: cannot reach the Docker daemon at {_endpoint}: {exception.Message}", exception);
    }

    /// <summary>The daemon answered, but not in a shape this client understands.</summary>
    public static DockerServerException Unreadable(string operation, Exception exception) =>
        new($"{operation}: the daemon's answer could not be read: {exception.Message}", HttpStatusCode.OK, null, exception);

    public void Dispose()
    {
        _http.Dispose();
        _negotiation.Dispose();
    }

    private DockerUnavailableException TimedOut(string operation, TimeSpan timeout, Exception exception) =>
        Unavailable(operation, new TimeoutException($"the daemon did not answer within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s", exception));

    private static CancellationTokenSource CreateTimeout(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            source.CancelAfter(timeout);
        }

        return source;
    }

    private static string ParseErrorMessage(string body, HttpStatusCode status)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return $"HTTP {(int)status} with an empty body";
        }

        try
        {
            var error = JsonSerializer.Deserialize(body, DockerJsonContext.Default.ErrorResponse);
            if (!string.IsNullOrEmpty(error?.Message))
            {
                return error.Message;
            }
        }
        catch (JsonException)
        {
            // Not JSON (proxies, very old daemons): fall back to the raw text.
        }

        return body.Trim();
    }

    private static async ValueTask<Stream> ConnectUnixAsync(string path, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>The error body the daemon sends with every 4xx/5xx.</summary>
internal sealed record ErrorResponse
{
    public string? Message { get; init; }
}

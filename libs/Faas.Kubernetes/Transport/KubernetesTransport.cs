using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;

namespace Faas.Kubernetes;

/// <summary>
/// HTTP to the API server: TLS trust and client certificate from the configuration, the bearer token
/// added per request (re-read from its source, retried once after a 401), errors mapped to
/// <see cref="KubernetesException"/> leaves.
/// </summary>
internal sealed class KubernetesTransport : IDisposable
{
    private readonly KubernetesClientConfiguration _config;
    private readonly HttpClient _http;
    private readonly ILogger _logger;

    public KubernetesTransport(KubernetesClientConfiguration config, ILogger logger)
    {
        _config = config;
        _logger = logger;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            // Watches hold a connection each; do not let them starve plain calls.
            MaxConnectionsPerServer = int.MaxValue,
        };
        handler.SslOptions.RemoteCertificateValidationCallback = ValidateServerCertificate;
        if (config.ClientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = new X509CertificateCollection { config.ClientCertificate };
        }

        _http = new HttpClient(handler) { BaseAddress = config.Server, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("faas-kubernetes", "0.1"));
    }

    /// <summary>Sends a request and reads a JSON answer of type <typeparamref name="T"/>.</summary>
    public async Task<T> SendAsync<T>(
        HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T> answerType, string operation, CancellationToken cancellationToken)
    {
        using var timeout = RequestTimeout(cancellationToken);
        try
        {
            using var response = await SendCoreAsync(method, path, content, HttpCompletionOption.ResponseContentRead, operation, timeout.Token).ConfigureAwait(false);
            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            return await JsonSerializer.DeserializeAsync(body, answerType, timeout.Token).ConfigureAwait(false)
                ?? throw new KubernetesApiException($"{operation}: the server answered with an empty body", response.StatusCode);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KubernetesUnavailableException($"{operation}: no answer from {_config.Server} within {_config.RequestTimeout.TotalSeconds:0.#} s", ex);
        }
        catch (JsonException ex)
        {
            throw new KubernetesApiException($"{operation}: could not read the server's answer: {ex.Message}", HttpStatusCode.OK, null, ex);
        }
        catch (IOException ex)
        {
            throw new KubernetesUnavailableException($"{operation}: the connection to {_config.Server} broke: {ex.Message}", ex);
        }
    }

    /// <summary>Sends a request whose answer body is not needed (deletes).</summary>
    public async Task SendAsync(HttpMethod method, string path, HttpContent? content, string operation, CancellationToken cancellationToken)
    {
        using var timeout = RequestTimeout(cancellationToken);
        try
        {
            using var response = await SendCoreAsync(method, path, content, HttpCompletionOption.ResponseContentRead, operation, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KubernetesUnavailableException($"{operation}: no answer from {_config.Server} within {_config.RequestTimeout.TotalSeconds:0.#} s", ex);
        }
    }

    /// <summary>
    /// Opens a streamed answer (watch, logs) once its headers arrived; the caller owns and disposes the response.
    /// No request timeout applies: the stream lasts until the server ends it or the caller cancels.
    /// </summary>
    public Task<HttpResponseMessage> OpenStreamAsync(string path, string operation, CancellationToken cancellationToken) =>
        SendCoreAsync(HttpMethod.Get, path, null, HttpCompletionOption.ResponseHeadersRead, operation, cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendCoreAsync(
        HttpMethod method, string path, HttpContent? content, HttpCompletionOption completion, string operation, CancellationToken cancellationToken)
    {
        // The content may be sent twice (401 retry): buffer it once.
        byte[]? bodyBytes = null;
        MediaTypeHeaderValue? contentType = null;
        if (content is not null)
        {
            bodyBytes = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            contentType = content.Headers.ContentType;
            content.Dispose();
        }

        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, path);
            if (bodyBytes is not null)
            {
                request.Content = new ByteArrayContent(bodyBytes);
                request.Content.Headers.ContentType = contentType;
            }

            await AuthenticateAsync(request, cancellationToken).ConfigureAwait(false);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or System.Net.Sockets.SocketException or IOException && !cancellationToken.IsCancellationRequested)
            {
                // HttpClient lets a few socket errors through unwrapped (e.g. "Transport endpoint is not
                // connected" when the peer closes right after accepting): all mean the same to callers.
                KubernetesClientLog.Unreachable(_logger, operation, _config.Server, ex.Message);
                throw new KubernetesUnavailableException($"{operation}: cannot reach the API server at {_config.Server}: {ex.Message}", ex);
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 1 && _config.TokenSource is not null)
                {
                    // The token may have rotated since it was read: read it again and retry once.
                    _config.TokenSource.Invalidate();
                    continue;
                }

                throw await ErrorFromAsync(response, operation, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask AuthenticateAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = _config.TokenSource is not null
            ? await _config.TokenSource.GetTokenAsync(cancellationToken).ConfigureAwait(false)
            : _config.AccessToken;
        if (!string.IsNullOrEmpty(token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        else if (_config.Username is not null)
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_config.Username}:{_config.Password}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        }
    }

    private static async Task<KubernetesException> ErrorFromAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            text = "";
        }

        return KubernetesException.FromStatus(response.StatusCode, ParseStatus(text, response.StatusCode), operation);
    }

    /// <summary>The Status object in an error body; a plain-text body becomes its message.</summary>
    internal static Status? ParseStatus(string text, HttpStatusCode code)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            var status = JsonSerializer.Deserialize(text, KubernetesJsonContext.Default.Status);
            if (status is not null && status.Kind == "Status")
            {
                return status;
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's error page, a plain-text message): keep the text.
        }

        return new Status { Kind = "Status", Outcome = "Failure", Message = text.Trim(), Code = (int)code };
    }

    private CancellationTokenSource RequestTimeout(CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_config.RequestTimeout != Timeout.InfiniteTimeSpan)
        {
            source.CancelAfter(_config.RequestTimeout);
        }

        return source;
    }

    private bool ValidateServerCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (_config.SkipTlsVerify)
        {
            return true;
        }

        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (_config.CaCertificates is not { Count: > 0 } || certificate is null
            || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        // Trust exactly the configured CA (as kubeconfig's certificate-authority means), not the system store.
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_config.CaCertificates);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return custom.Build(certificate as X509Certificate2 ?? new X509Certificate2(certificate));
    }
}

namespace Faas.Controller.Backends.Process;

public enum ProbeResult
{
    /// <summary>No answer, or an answer other than 200/429.</summary>
    NotReady,

    Ready,

    /// <summary>429: alive but at <c>max_inflight</c>; never counted as a failed health check.</summary>
    Busy,
}

/// <summary>Asks a replica whether it is ready (<c>GET /_/ready</c>).</summary>
public interface IReplicaProbe
{
    Task<ProbeResult> ProbeAsync(string baseUrl, CancellationToken cancellationToken = default);

    /// <summary>
    /// Calls in flight at the replica (the watchdog's <c>X-Inflight</c> header on <c>/_/ready</c>);
    /// null when it does not answer or does not say. Checked before a replica is paused.
    /// </summary>
    Task<int?> InFlightAsync(string baseUrl, CancellationToken cancellationToken = default) => Task.FromResult<int?>(0);
}

public sealed class HttpReplicaProbe : IReplicaProbe, IDisposable
{
    /// <summary>Set by the watchdog on <c>/_/ready</c>: calls it is serving right now.</summary>
    public const string InFlightHeader = "X-Inflight";

    private readonly HttpClient _client;
    private readonly TimeSpan _timeout;

    public HttpReplicaProbe(ProcessBackendTimings timings)
    {
        _timeout = timings.ProbeTimeout;
        _client = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = timings.ProbeTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            UseProxy = false,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public async Task<ProbeResult> ProbeAsync(string baseUrl, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            using var response = await _client.GetAsync(baseUrl + "/_/ready", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return (int)response.StatusCode switch
            {
                200 => ProbeResult.Ready,
                429 => ProbeResult.Busy,
                _ => ProbeResult.NotReady,
            };
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return ProbeResult.NotReady;
        }
    }

    public async Task<int?> InFlightAsync(string baseUrl, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            using var response = await _client.GetAsync(baseUrl + "/_/ready", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return response.Headers.TryGetValues(InFlightHeader, out var values)
                && int.TryParse(values.FirstOrDefault(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var inFlight)
                ? inFlight
                : null;
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    public void Dispose() => _client.Dispose();
}

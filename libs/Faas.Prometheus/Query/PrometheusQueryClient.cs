using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Faas.Prometheus.Query;

/// <summary>
/// Evaluates PromQL through the Prometheus HTTP API (<c>/api/v1/query</c>, <c>/api/v1/query_range</c>).
/// Failures surface as a <see cref="PrometheusQueryException"/> leaf; cancellation through the
/// caller's token surfaces as <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class PrometheusQueryClient
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>();

    private readonly HttpClient _httpClient;
    private readonly Uri _queryUri;
    private readonly Uri _queryRangeUri;

    /// <param name="httpClient">Used as is; its <see cref="HttpClient.Timeout"/> bounds each request.</param>
    /// <param name="baseUri">The server root, e.g. <c>http://127.0.0.1:9090/</c>; a path prefix is kept.</param>
    public PrometheusQueryClient(HttpClient httpClient, Uri baseUri)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(baseUri);
        if (!baseUri.IsAbsoluteUri)
        {
            throw new ArgumentException($"Prometheus base URI '{baseUri}' must be absolute.", nameof(baseUri));
        }

        _httpClient = httpClient;
        var root = baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
        _queryUri = new Uri(root, "api/v1/query");
        _queryRangeUri = new Uri(root, "api/v1/query_range");
    }

    /// <summary>Evaluates <paramref name="query"/> at <paramref name="time"/> (the server's now when null).</summary>
    public async Task<QueryResult> QueryAsync(string query, DateTimeOffset? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        var form = new List<KeyValuePair<string, string>> { new("query", query) };
        if (time is { } at)
        {
            form.Add(new("time", FormatTime(at)));
        }

        return await SendAsync(_queryUri, form, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Evaluates <paramref name="query"/> every <paramref name="step"/> from <paramref name="start"/> to <paramref name="end"/>.</summary>
    public async Task<Matrix> QueryRangeAsync(string query, DateTimeOffset start, DateTimeOffset end, TimeSpan step, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(step, TimeSpan.Zero);
        var form = new List<KeyValuePair<string, string>>
        {
            new("query", query),
            new("start", FormatTime(start)),
            new("end", FormatTime(end)),
            new("step", step.TotalSeconds.ToString("R", CultureInfo.InvariantCulture)),
        };

        var result = await SendAsync(_queryRangeUri, form, cancellationToken).ConfigureAwait(false);
        return result as Matrix ?? throw new PrometheusProtocolException(
            $"Prometheus answered a range query with a {result.GetType().Name} instead of a matrix.", HttpStatusCode.OK, null);
    }

    // Unix seconds with millisecond precision, the resolution Prometheus stores.
    private static string FormatTime(DateTimeOffset time) =>
        (time.ToUnixTimeMilliseconds() / 1000m).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// 1. POST the form (long queries do not fit a URL). 2. Map transport failures to
    /// "unavailable". 3. Read the envelope. 4. Map error statuses to a leaf. 5. Convert the result.
    /// </summary>
    private async Task<QueryResult> SendAsync(Uri uri, List<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        // 1-2.
        HttpResponseMessage response;
        try
        {
            using var content = new FormUrlEncodedContent(form);
            response = await _httpClient.PostAsync(uri, content, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new PrometheusUnavailableException($"Prometheus at {uri} could not be reached: {e.Message}", null, null, null, e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PrometheusUnavailableException($"Prometheus at {uri} did not answer within {_httpClient.Timeout}.", "timeout", null, null, e);
        }

        using (response)
        {
            // 3.
            var status = response.StatusCode;
            WireResponse? envelope;
            try
            {
                var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    envelope = await JsonSerializer.DeserializeAsync(stream, PrometheusJsonContext.Default.WireResponse, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (JsonException e)
            {
                throw ErrorForStatus(uri, status, null, null, e);
            }
            catch (Exception e) when (e is IOException or HttpRequestException
                || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                throw new PrometheusUnavailableException($"Prometheus at {uri} failed while answering: {e.Message}", null, null, status, e);
            }

            // 4.
            if (!response.IsSuccessStatusCode || envelope?.Status != "success")
            {
                throw ErrorForStatus(uri, status, envelope?.ErrorType, envelope?.Error, null);
            }

            // 5.
            try
            {
                return ToResult(envelope.Data) with { Warnings = envelope.Warnings ?? [] };
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                throw new PrometheusProtocolException($"Prometheus at {uri} answered with a result that could not be read: {e.Message}", status, e);
            }
        }
    }

    private static PrometheusQueryException ErrorForStatus(Uri uri, HttpStatusCode status, string? errorType, string? error, Exception? inner)
    {
        var detail = error is null ? $"HTTP {(int)status}" : $"{errorType}: {error}";
        return (int)status switch
        {
            400 or 422 => new PrometheusBadQueryException($"Prometheus rejected the query ({detail}).", errorType, error, status),
            >= 500 => new PrometheusUnavailableException($"Prometheus at {uri} could not answer ({detail}).", errorType, error, status, inner),
            _ => errorType switch
            {
                "bad_data" or "execution" => new PrometheusBadQueryException($"Prometheus rejected the query ({detail}).", errorType, error, status),
                "timeout" or "canceled" or "unavailable" => new PrometheusUnavailableException($"Prometheus at {uri} could not answer ({detail}).", errorType, error, status, inner),
                _ => new PrometheusProtocolException($"Prometheus at {uri} answered with an unexpected response ({detail}).", status, inner),
            },
        };
    }

    private static QueryResult ToResult(WireData? data)
    {
        if (data is null)
        {
            throw new JsonException("The response has no 'data'.");
        }

        switch (data.ResultType)
        {
            case "vector":
                var vector = Deserialize(data.Result, PrometheusJsonContext.Default.ListWireSeries);
                var samples = new Sample[vector.Count];
                for (var i = 0; i < samples.Length; i++)
                {
                    var point = vector[i].Value ?? throw new JsonException("A vector sample has no 'value'.");
                    samples[i] = new Sample(Labels(vector[i]), point.Timestamp, point.NumericValue);
                }

                return new InstantVector(samples);

            case "matrix":
                var matrix = Deserialize(data.Result, PrometheusJsonContext.Default.ListWireSeries);
                var series = new Series[matrix.Count];
                for (var i = 0; i < series.Length; i++)
                {
                    var values = matrix[i].Values ?? [];
                    var points = new SamplePoint[values.Count];
                    for (var j = 0; j < points.Length; j++)
                    {
                        points[j] = new SamplePoint(values[j].Timestamp, values[j].NumericValue);
                    }

                    series[i] = new Series(Labels(matrix[i]), points);
                }

                return new Matrix(series);

            case "scalar":
                var scalar = Deserialize(data.Result, PrometheusJsonContext.Default.WirePoint);
                return new Scalar(scalar.Timestamp, scalar.NumericValue);

            case "string":
                var text = Deserialize(data.Result, PrometheusJsonContext.Default.WirePoint);
                return new StringResult(text.Timestamp, text.Value);

            default:
                throw new JsonException($"Unknown resultType '{data.ResultType}'.");
        }
    }

    private static T Deserialize<T>(JsonElement element, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo) =>
        element.Deserialize(typeInfo) ?? throw new JsonException("The response has no 'result'.");

    private static IReadOnlyDictionary<string, string> Labels(WireSeries series) =>
        series.Metric is { Count: > 0 } metric ? metric : NoLabels;
}

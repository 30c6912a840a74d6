using System.Net;
using System.Net.Sockets;
using Faas.Prometheus.Query;

namespace Faas.Prometheus.Tests.Query;

public sealed class PrometheusQueryClientTests
{
    private static readonly Uri BaseUri = new("http://prometheus.test:9090/prefix");

    [Fact]
    public async Task Vector_IsReadWithLabelsTimestampsAndSpecialValues()
    {
        var handler = new RecordedHandler(HttpStatusCode.OK, """
            {"status":"success","data":{"resultType":"vector","result":[
              {"metric":{"__name__":"up","job":"prometheus","instance":"localhost:9090"},"value":[1435781451.781,"1"]},
              {"metric":{"job":"node"},"value":[1435781451.781,"NaN"]},
              {"metric":{},"value":[1435781451,"+Inf"]},
              {"metric":{"job":"neg"},"value":[1435781451,"-Inf"]},
              {"metric":{"job":"exp"},"value":[1435781451,"1e+06"]}
            ]}}
            """);
        var client = new PrometheusQueryClient(new HttpClient(handler), BaseUri);

        var result = await client.QueryAsync("up", DateTimeOffset.FromUnixTimeMilliseconds(1435781451781));

        var vector = Assert.IsType<InstantVector>(result);
        Assert.Equal(5, vector.Samples.Count);
        Assert.Equal("prometheus", vector.Samples[0].Labels["job"]);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1435781451781), vector.Samples[0].Timestamp);
        Assert.Equal(1, vector.Samples[0].Value);
        Assert.True(double.IsNaN(vector.Samples[1].Value));
        Assert.Empty(vector.Samples[2].Labels);
        Assert.Equal(double.PositiveInfinity, vector.Samples[2].Value);
        Assert.Equal(double.NegativeInfinity, vector.Samples[3].Value);
        Assert.Equal(1_000_000, vector.Samples[4].Value);
        Assert.Empty(vector.Warnings);

        Assert.Equal(HttpMethod.Post, handler.LastRequest!.Method);
        Assert.Equal("http://prometheus.test:9090/prefix/api/v1/query", handler.LastRequest.RequestUri!.AbsoluteUri);
        Assert.Equal("query=up&time=1435781451.781", handler.LastForm);
    }

    [Fact]
    public async Task Scalar_AndString_AreRead()
    {
        var scalar = await new PrometheusQueryClient(
            new HttpClient(new RecordedHandler(HttpStatusCode.OK, """{"status":"success","data":{"resultType":"scalar","result":[1795351969.817,"+Inf"]}}""")),
            BaseUri).QueryAsync("1/0");
        var text = await new PrometheusQueryClient(
            new HttpClient(new RecordedHandler(HttpStatusCode.OK, """{"status":"success","data":{"resultType":"string","result":[1795351969.827,"hi"]},"warnings":["careful"]}""")),
            BaseUri).QueryAsync("\"hi\"");

        var value = Assert.IsType<Scalar>(scalar);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1795351969817), value.Timestamp);
        Assert.Equal(double.PositiveInfinity, value.Value);
        var str = Assert.IsType<StringResult>(text);
        Assert.Equal("hi", str.Value);
        Assert.Equal(["careful"], str.Warnings);
    }

    [Fact]
    public async Task RangeQuery_ReturnsAMatrix()
    {
        var handler = new RecordedHandler(HttpStatusCode.OK, """
            {"status":"success","data":{"resultType":"matrix","result":[
              {"metric":{"__name__":"up","job":"prometheus"},"values":[[1435781430.781,"1"],[1435781445.781,"0.5"],[1435781460.781,"NaN"]]},
              {"metric":{"job":"node"},"values":[]}
            ]}}
            """);
        var client = new PrometheusQueryClient(new HttpClient(handler), new Uri("http://prometheus.test:9090/"));
        var start = DateTimeOffset.FromUnixTimeSeconds(1435781430);

        var matrix = await client.QueryRangeAsync("up", start, start.AddSeconds(30), TimeSpan.FromSeconds(15));

        Assert.Equal(2, matrix.Series.Count);
        Assert.Equal("prometheus", matrix.Series[0].Labels["job"]);
        Assert.Equal([1, 0.5, double.NaN], matrix.Series[0].Points.Select(p => p.Value));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1435781445781), matrix.Series[0].Points[1].Timestamp);
        Assert.Empty(matrix.Series[1].Points);
        Assert.Equal("http://prometheus.test:9090/api/v1/query_range", handler.LastRequest!.RequestUri!.AbsoluteUri);
        Assert.Equal("query=up&start=1435781430&end=1435781460&step=15", handler.LastForm);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "bad_data", "invalid parameter \\\"query\\\": 1:5: parse error: unclosed left parenthesis")]
    [InlineData(HttpStatusCode.UnprocessableEntity, "execution", "found duplicate series for the match group")]
    public async Task RejectedQuery_ThrowsBadQueryWithPrometheusMessage(HttpStatusCode status, string errorType, string error)
    {
        var client = new PrometheusQueryClient(
            new HttpClient(new RecordedHandler(status, $$"""{"status":"error","errorType":"{{errorType}}","error":"{{error}}"}""")), BaseUri);

        var e = await Assert.ThrowsAsync<PrometheusBadQueryException>(() => client.QueryAsync("sum("));

        Assert.Equal(errorType, e.ErrorType);
        Assert.Equal(error.Replace("\\\"", "\""), e.Error);
        Assert.Equal(status, e.StatusCode);
        Assert.Contains(e.Error!, e.Message);
    }

    [Fact]
    public async Task QueryTimeout_ThrowsUnavailable()
    {
        var client = new PrometheusQueryClient(new HttpClient(new RecordedHandler(
            HttpStatusCode.ServiceUnavailable, """{"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"}""")), BaseUri);

        var e = await Assert.ThrowsAsync<PrometheusUnavailableException>(() => client.QueryAsync("up"));

        Assert.Equal("timeout", e.ErrorType);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, e.StatusCode);
    }

    [Fact]
    public async Task ProxyError_WithoutJsonBody_ThrowsUnavailable()
    {
        var client = new PrometheusQueryClient(new HttpClient(new RecordedHandler(HttpStatusCode.BadGateway, "<html>bad gateway</html>", "text/html")), BaseUri);

        var e = await Assert.ThrowsAsync<PrometheusUnavailableException>(() => client.QueryAsync("up"));

        Assert.Null(e.ErrorType);
        Assert.Equal(HttpStatusCode.BadGateway, e.StatusCode);
    }

    [Fact]
    public async Task ConnectionRefused_ThrowsUnavailable()
    {
        var client = new PrometheusQueryClient(
            new HttpClient(new FailingHandler(() => new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused)))),
            BaseUri);

        var e = await Assert.ThrowsAsync<PrometheusUnavailableException>(() => client.QueryAsync("up"));

        Assert.IsType<HttpRequestException>(e.InnerException);
        Assert.Null(e.StatusCode);
    }

    [Fact]
    public async Task HttpClientTimeout_ThrowsUnavailable_ButCallerCancellationPropagates()
    {
        var timedOut = new PrometheusQueryClient(
            new HttpClient(new FailingHandler(() => new TaskCanceledException("timeout", new TimeoutException()))), BaseUri);
        var e = await Assert.ThrowsAsync<PrometheusUnavailableException>(() => timedOut.QueryAsync("up"));
        Assert.Equal("timeout", e.ErrorType);

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var client = new PrometheusQueryClient(new HttpClient(new RecordedHandler(HttpStatusCode.OK, "{}")), BaseUri);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.QueryAsync("up", cancellationToken: cancelled.Token));
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, "404 page not found")]
    [InlineData(HttpStatusCode.OK, "not json")]
    [InlineData(HttpStatusCode.OK, """{"status":"success","data":{"resultType":"histogram","result":[]}}""")]
    [InlineData(HttpStatusCode.OK, """{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"one"]}]}}""")]
    [InlineData(HttpStatusCode.OK, """{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1]}]}}""")]
    public async Task UnreadableResponse_ThrowsProtocol(HttpStatusCode status, string body)
    {
        var client = new PrometheusQueryClient(new HttpClient(new RecordedHandler(status, body)), BaseUri);
        await Assert.ThrowsAsync<PrometheusProtocolException>(() => client.QueryAsync("up"));
    }

    [Fact]
    public async Task InstantQueryAnswer_ToARangeQuery_ThrowsProtocol()
    {
        var client = new PrometheusQueryClient(new HttpClient(new RecordedHandler(
            HttpStatusCode.OK, """{"status":"success","data":{"resultType":"vector","result":[]}}""")), BaseUri);

        await Assert.ThrowsAsync<PrometheusProtocolException>(() =>
            client.QueryRangeAsync("up", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddMinutes(1), TimeSpan.FromSeconds(15)));
    }
}

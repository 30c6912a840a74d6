using Faas.Prometheus.Query;
using Faas.Testing.Net;

namespace Faas.Prometheus.Tests.Integration;

public sealed class QueryErrorIntegrationTests(PrometheusFixture prometheus) : IClassFixture<PrometheusFixture>
{
    [Fact]
    public async Task SyntaxError_ThrowsBadQueryWithPrometheusMessage()
    {
        var e = await Assert.ThrowsAsync<PrometheusBadQueryException>(() => prometheus.Client.QueryAsync("sum(it_syntax_total"));

        Assert.Equal("bad_data", e.ErrorType);
        Assert.Contains("parse error", e.Error);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, e.StatusCode);
    }

    [Fact]
    public async Task EndBeforeStart_ThrowsBadQuery()
    {
        var now = DateTimeOffset.UtcNow;
        var e = await Assert.ThrowsAsync<PrometheusBadQueryException>(() =>
            prometheus.Client.QueryRangeAsync("up", now, now.AddMinutes(-1), TimeSpan.FromSeconds(1)));

        Assert.Contains("end timestamp must not be before start time", e.Error);
    }

    [Fact]
    public async Task ScalarExpression_ReturnsAScalar()
    {
        var result = await prometheus.Client.QueryAsync("1/0");
        Assert.Equal(double.PositiveInfinity, Assert.IsType<Scalar>(result).Value);
    }

    [Fact]
    public async Task UnreachablePrometheus_ThrowsUnavailable()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var client = new PrometheusQueryClient(http, new Uri(TestPorts.ClosedUrl() + "/"));

        var e = await Assert.ThrowsAsync<PrometheusUnavailableException>(() => client.QueryAsync("up"));

        Assert.IsType<HttpRequestException>(e.InnerException);
    }
}

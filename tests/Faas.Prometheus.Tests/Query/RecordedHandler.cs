using System.Net;
using System.Text;

namespace Faas.Prometheus.Tests.Query;

/// <summary>Answers every request with one recorded Prometheus response and remembers the request.</summary>
internal sealed class RecordedHandler(HttpStatusCode status, string body, string contentType = "application/json") : HttpMessageHandler
{
    public HttpRequestMessage? LastRequest { get; private set; }

    public string? LastForm { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        LastRequest = request;
        LastForm = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, contentType) };
    }
}

/// <summary>Fails every request the way a closed port or a hung server does.</summary>
internal sealed class FailingHandler(Func<Exception> failure) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromException<HttpResponseMessage>(failure());
}

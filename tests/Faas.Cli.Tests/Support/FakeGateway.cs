using System.Net;
using System.Text;

namespace Faas.Cli.Tests.Support;

/// <summary>One request as the fake gateway saw it.</summary>
public sealed record RecordedRequest(string Method, string Authority, string PathAndQuery, string Path, string Query, string Body, IReadOnlyDictionary<string, string> Headers)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A hand-written gateway: records every request and answers with the first route whose method
/// and path match, else 404. Routes get the recorded request and return a response.
/// </summary>
public sealed class FakeGateway : HttpMessageHandler
{
    private readonly List<(string Method, string Path, Func<RecordedRequest, HttpResponseMessage> Respond)> _routes = [];
    private readonly List<RecordedRequest> _requests = [];

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public FakeGateway On(string method, string path, Func<RecordedRequest, HttpResponseMessage> respond)
    {
        _routes.Add((method, path, respond));
        return this;
    }

    public FakeGateway On(string method, string path, HttpStatusCode status, string body = "", string contentType = "text/plain") =>
        On(method, path, _ => Response(status, body, contentType));

    public static HttpResponseMessage Response(HttpStatusCode status, string body = "", string contentType = "text/plain") =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, contentType) };

    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) => Response(status, json, "application/json");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers)
        {
            headers[header.Key] = string.Join(", ", header.Value);
        }

        var body = "";
        if (request.Content is not null)
        {
            foreach (var header in request.Content.Headers)
            {
                headers[header.Key] = string.Join(", ", header.Value);
            }

            body = await request.Content.ReadAsStringAsync(cancellationToken);
        }

        var uri = request.RequestUri!;
        var recorded = new RecordedRequest(request.Method.Method, uri.GetLeftPart(UriPartial.Authority), uri.PathAndQuery, uri.AbsolutePath, uri.Query.TrimStart('?'), body, headers);
        lock (_requests)
        {
            _requests.Add(recorded);
        }

        foreach (var (method, path, respond) in _routes)
        {
            if (method == request.Method.Method && path == uri.AbsolutePath)
            {
                return respond(recorded);
            }
        }

        return Response(HttpStatusCode.NotFound);
    }
}

using System.Text.Json;

namespace Faas.Gateway.Tests.Fakes;

/// <summary>What <see cref="FakeReplica"/> saw of a request; it answers with this as JSON.</summary>
public sealed record EchoedRequest(
    string Replica,
    string Method,
    string Path,
    string Query,
    Dictionary<string, string> Headers,
    string Body);

/// <summary>
/// A stand-in for a watchdog: echoes method, path, query, headers and body as JSON.
/// <c>/slow</c> waits 10 s; <c>/with-duration</c> answers its own <c>X-Duration-Seconds</c>.
/// </summary>
public sealed class FakeReplica : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly LocalServer _server;

    private FakeReplica(string id, LocalServer server)
    {
        Id = id;
        _server = server;
    }

    public string Id { get; }

    public string Url => _server.Url;

    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public static async Task<FakeReplica> StartAsync(string id)
    {
        FakeReplica? self = null;
        var server = await LocalServer.StartAsync(app => app.Map("/{**path}", (RequestDelegate)(context => self!.HandleAsync(context))));
        self = new FakeReplica(id, server);
        return self;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _calls);
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.Body))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        if (request.Path == "/slow")
        {
            await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
        }

        if (request.Path == "/with-duration")
        {
            context.Response.Headers["X-Duration-Seconds"] = "0.250000";
        }

        var echoed = new EchoedRequest(
            Id,
            request.Method,
            request.Path.Value ?? "",
            request.QueryString.Value ?? "",
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body);
        await context.Response.WriteAsJsonAsync(echoed, Json, context.RequestAborted);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

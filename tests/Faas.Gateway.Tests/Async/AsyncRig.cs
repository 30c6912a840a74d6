using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Threading.Channels;
using Faas.Gateway.Async;
using Faas.Gateway.Tests.Fakes;
using Faas.Testing.Nats;

namespace Faas.Gateway.Tests.Async;

/// <summary>A callback the receiver got.</summary>
public sealed record ReceivedCallback(string CallId, int FunctionStatus, string FunctionName, string Body, IReadOnlyDictionary<string, string> Headers);

/// <summary>Records every callback POSTed to <c>{Url}/cb</c>.</summary>
public sealed class CallbackReceiver : IAsyncDisposable
{
    private readonly LocalServer _server;
    private readonly Channel<ReceivedCallback> _arrivals = Channel.CreateUnbounded<ReceivedCallback>();

    private CallbackReceiver(LocalServer server) => _server = server;

    public ConcurrentQueue<ReceivedCallback> All { get; } = new();

    public string Url => _server.Url + "/cb";

    public static async Task<CallbackReceiver> StartAsync()
    {
        CallbackReceiver? self = null;
        var server = await LocalServer.StartAsync(app => app.MapPost("/cb", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var received = new ReceivedCallback(
                headers.GetValueOrDefault("X-Call-Id", ""),
                int.TryParse(headers.GetValueOrDefault("X-Function-Status"), out var status) ? status : 0,
                headers.GetValueOrDefault("X-Function-Name", ""),
                body,
                headers);
            self!.All.Enqueue(received);
            self._arrivals.Writer.TryWrite(received);
            return Results.Ok();
        }));
        self = new CallbackReceiver(server);
        return self;
    }

    /// <summary>The next callback (fails after <paramref name="timeout"/>, 20 s by default).</summary>
    public async Task<ReceivedCallback> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        return await _arrivals.Reader.ReadAsync(cts.Token);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

/// <summary>
/// A nats-server, a fake controller, a callback receiver and the real gateway with async on.
/// Each test builds its own, so tests never share streams.
/// </summary>
public sealed class AsyncRig : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _replicas = [];
    private readonly Dictionary<string, string?> _settings;

    private AsyncRig(NatsServer nats, FakeController controller, CallbackReceiver callbacks, Dictionary<string, string?> settings)
    {
        Nats = nats;
        Controller = controller;
        Callbacks = callbacks;
        _settings = settings;
    }

    public NatsServer Nats { get; }

    public FakeController Controller { get; }

    public CallbackReceiver Callbacks { get; }

    public GatewayHost Gateway { get; private set; } = null!;

    public static async Task<AsyncRig> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var nats = await NatsServer.StartAsync();
        var controller = await FakeController.StartAsync();
        var callbacks = await CallbackReceiver.StartAsync();
        var all = new Dictionary<string, string?>
        {
            [AsyncOptionsReader.NatsUrlKey] = nats.Url,
            [AsyncOptionsReader.InitialRetryWaitKey] = "20ms",
            [AsyncOptionsReader.MaxRetryWaitKey] = "100ms",
            [AsyncOptionsReader.AckWaitKey] = "3s",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var rig = new AsyncRig(nats, controller, callbacks, all);
        try
        {
            await rig.StartGatewayAsync();
        }
        catch
        {
            await callbacks.DisposeAsync();
            await controller.DisposeAsync();
            await nats.DisposeAsync();
            throw;
        }

        return rig;
    }

    /// <summary>Starts (or starts again) the gateway and waits until its queue is ready.</summary>
    public async Task StartGatewayAsync()
    {
        Gateway = await GatewayHost.StartAsync(Controller.Url, _settings);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await Gateway.App.Services.GetRequiredService<AsyncQueue>().Ready.WaitAsync(timeout.Token);
    }

    /// <summary>
    /// Stops the gateway abruptly: no graceful drain, the worker's calls in flight are abandoned
    /// unacknowledged (JetStream redelivers them after ack_wait), as in a crash.
    /// </summary>
    public async Task KillGatewayAsync()
    {
        var app = Gateway.App;
        try
        {
            await app.StopAsync(new CancellationToken(canceled: true));
        }
        catch (OperationCanceledException)
        {
            // Expected: nothing waits.
        }

        await app.DisposeAsync();
        Gateway.Client.Dispose();
    }

    /// <summary>A fake replica answering with <paramref name="handler"/>, registered as <paramref name="name"/>.</summary>
    public async Task AddFunctionAsync(string name, Func<HttpContext, int, Task> handler)
    {
        var calls = 0;
        var server = await LocalServer.StartAsync(app => app.Map("/{**path}", (HttpContext context) => handler(context, Interlocked.Increment(ref calls))));
        _replicas.Add(server);
        Controller.SetFunctions(FakeController.Function(name, "openfaas-fn", (name + "-1", server.Url)));
        await Gateway.WaitForReadyAsync(name);
    }

    public async Task<HttpResponseMessage> EnqueueAsync(string function, string body = "payload", string? callId = null, bool callback = true, string path = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/async-function/{function}{path}") { Content = new StringContent(body) };
        if (callId is not null)
        {
            request.Headers.Add("X-Call-Id", callId);
        }

        if (callback)
        {
            request.Headers.Add("X-Callback-Url", Callbacks.Url);
        }

        return await Gateway.Client.SendAsync(request);
    }

    public async Task<CallStatus?> StatusAsync(string callId)
    {
        using var response = await Gateway.Client.GetAsync($"/async-function/{callId}");
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.Content.ReadFromJsonAsync<CallStatus>();
    }

    /// <summary>Polls the status until <paramref name="condition"/> holds (fails after 20 s).</summary>
    public async Task<CallStatus> WaitForStatusAsync(string callId, Func<CallStatus, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var status = await StatusAsync(callId);
            if (status is not null && condition(status))
            {
                return status;
            }

            Assert.True(DateTime.UtcNow < deadline, $"status of {callId} is still {status?.Status ?? "unknown"}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The nats-server process is stopped whatever else fails, so no test leaves one behind.
        try
        {
            await Gateway.DisposeAsync();
            foreach (var replica in _replicas)
            {
                await replica.DisposeAsync();
            }

            await Callbacks.DisposeAsync();
            await Controller.DisposeAsync();
        }
        finally
        {
            await Nats.DisposeAsync();
        }
    }
}

using System.Collections.Concurrent;
using System.Text.Json;
using Faas.Contracts.Endpoints;
using Faas.Contracts.Functions;
using Faas.Contracts.Json;
using Faas.Contracts.Logs;
using Faas.Contracts.System;

namespace Faas.Gateway.Tests.Fakes;

/// <summary>A request the fake controller received.</summary>
public sealed record ControllerCall(string Method, string PathAndQuery, string? Authorization, string Body);

/// <summary>
/// A stand-in for the controller: the NDJSON endpoint stream (one line on connect, on every
/// change and every <see cref="Heartbeat"/>), <c>/system/function/{name}</c>, <c>/system/functions</c>,
/// <c>/system/info</c> and a <c>/system/logs</c> that writes one line, waits for
/// <see cref="ReleaseLogs"/>, then writes a second and ends.
/// </summary>
public sealed class FakeController : IAsyncDisposable
{
    private readonly LocalServer _server;
    private readonly Lock _gate = new();
    private EndpointSnapshot _snapshot = new() { Version = 1 };
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _logsReleased = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HashSet<string> _extraKnown = [];
    private readonly Dictionary<string, Dictionary<string, string>> _annotations = [];
    private int _endpointConnections;

    private FakeController(LocalServer server) => _server = server;

    public string Url => _server.Url;

    /// <summary>How often the current snapshot is repeated; <see cref="Timeout.InfiniteTimeSpan"/> for never.</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>When set, the endpoint stream ends after writing the first line of each connection.</summary>
    public bool EndStreamAfterFirstLine { get; set; }

    /// <summary>When set, every call must carry this <c>Authorization</c> value (else 401).</summary>
    public string? RequiredAuthorization { get; set; }

    public ConcurrentQueue<ControllerCall> Calls { get; } = new();

    public int EndpointConnections => Volatile.Read(ref _endpointConnections);

    /// <summary>How long <c>/system/function/{name}</c> takes to answer.</summary>
    public TimeSpan LookupDelay { get; set; } = TimeSpan.Zero;

    public static async Task<FakeController> StartAsync(int port = 0)
    {
        FakeController? self = null;
        var server = await LocalServer.StartAsync(app => app.Map("/{**path}", (RequestDelegate)(context => self!.HandleAsync(context))), port);
        self = new FakeController(server);
        return self;
    }

    /// <summary>Replaces the functions in the endpoint stream (a new version, pushed to every subscriber).</summary>
    public void SetFunctions(params FunctionEndpoints[] functions)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _snapshot = new EndpointSnapshot { Version = _snapshot.Version + 1, Functions = [.. functions] };
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    /// <summary>Makes <c>/system/function/{name}</c> answer 200 for a function absent from the stream.</summary>
    public void AddKnownFunction(string name, string @namespace = "openfaas-fn")
    {
        lock (_gate)
        {
            _extraKnown.Add($"{name}.{@namespace}");
        }
    }

    /// <summary>Annotations <c>/system/function/{name}</c> reports for a function.</summary>
    public void SetAnnotations(string name, Dictionary<string, string> annotations, string @namespace = "openfaas-fn")
    {
        lock (_gate)
        {
            _annotations[$"{name}.{@namespace}"] = annotations;
        }
    }

    public void ReleaseLogs() => _logsReleased.TrySetResult();

    public static FunctionEndpoints Function(string name, params FakeReplica[] replicas) =>
        Function(name, "openfaas-fn", replicas.Select(r => (r.Id, r.Url)).ToArray());

    public static FunctionEndpoints Function(string name, string @namespace, params (string Id, string Url)[] replicas) => new()
    {
        Name = name,
        Namespace = @namespace,
        Replicas = Math.Max(1, replicas.Length),
        Endpoints = [.. replicas.Select(r => new ReplicaEndpoint { Replica = r.Id, Url = r.Url })],
    };

    /// <summary>A function scaled to zero: known, no desired and no ready replicas.</summary>
    public static FunctionEndpoints ScaledToZero(string name, string @namespace = "openfaas-fn") =>
        new() { Name = name, Namespace = @namespace, Replicas = 0 };

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.Body))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        var authorization = request.Headers.Authorization.ToString();
        Calls.Enqueue(new ControllerCall(request.Method, request.Path + request.QueryString, authorization.Length == 0 ? null : authorization, body));
        if (RequiredAuthorization is not null && authorization != RequiredAuthorization)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var path = request.Path.Value ?? "";
        switch (path)
        {
            case EndpointStream.Path:
                await StreamEndpointsAsync(context);
                return;
            case "/system/info":
                await context.Response.WriteAsJsonAsync(
                    new ProviderInfo { Provider = "faas-controller", Orchestration = "process", Version = new VersionInfo { Release = "9.9.9", Sha = "abc" } },
                    FaasJsonContext.Default.ProviderInfo);
                return;
            case "/system/functions" when HttpMethods.IsGet(request.Method):
                await context.Response.WriteAsJsonAsync(
                    CurrentSnapshot().Functions.Select(f => new FunctionStatus { Name = f.Name, Namespace = f.Namespace, Image = "img", Replicas = (ulong)f.Replicas }).ToList(),
                    FaasJsonContext.Default.ListFunctionStatus);
                return;
            case "/system/functions":
                context.Response.StatusCode = StatusCodes.Status202Accepted;
                await context.Response.WriteAsync($"{request.Method} {body.Length} bytes{request.QueryString}");
                return;
            case var scale when scale.StartsWith("/system/scale-function/", StringComparison.Ordinal):
                context.Response.StatusCode = StatusCodes.Status202Accepted;
                return;
            case "/system/logs":
                await StreamLogsAsync(context);
                return;
        }

        if (path.StartsWith("/system/function/", StringComparison.Ordinal))
        {
            var name = path["/system/function/".Length..];
            await Task.Delay(LookupDelay, context.RequestAborted);
            var ns = request.Query["namespace"].ToString() is { Length: > 0 } q ? q : "openfaas-fn";
            if (IsKnown(name, ns))
            {
                Dictionary<string, string>? annotations;
                lock (_gate)
                {
                    annotations = _annotations.GetValueOrDefault($"{name}.{ns}");
                }

                await context.Response.WriteAsJsonAsync(new FunctionStatus { Name = name, Namespace = ns, Image = "img", Annotations = annotations }, FaasJsonContext.Default.FunctionStatus);
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
            }

            return;
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
    }

    private EndpointSnapshot CurrentSnapshot()
    {
        lock (_gate)
        {
            return _snapshot;
        }
    }

    private bool IsKnown(string name, string ns)
    {
        lock (_gate)
        {
            return _extraKnown.Contains($"{name}.{ns}") || _snapshot.Functions.Any(f => f.Name == name && f.Namespace == ns);
        }
    }

    private async Task StreamEndpointsAsync(HttpContext context)
    {
        Interlocked.Increment(ref _endpointConnections);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _server.Stopping);
        context.Response.ContentType = EndpointStream.ContentType;
        try
        {
            while (true)
            {
                Task changed;
                EndpointSnapshot snapshot;
                lock (_gate)
                {
                    changed = _changed.Task;
                    snapshot = _snapshot;
                }

                await context.Response.WriteAsync(JsonSerializer.Serialize(snapshot, FaasJsonContext.Default.EndpointSnapshot) + "\n", stop.Token);
                await context.Response.Body.FlushAsync(stop.Token);
                if (EndStreamAfterFirstLine)
                {
                    return;
                }

                var heartbeat = Task.Delay(Heartbeat, stop.Token);
                await Task.WhenAny(changed, heartbeat);
                stop.Token.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException)
        {
            // The gateway disconnected or the fake is stopping.
        }
    }

    private async Task StreamLogsAsync(HttpContext context)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _server.Stopping);
        context.Response.ContentType = "application/x-ndjson";
        var name = context.Request.Query["name"].ToString();
        await WriteLogAsync(context, new LogMessage { Name = name, Namespace = "openfaas-fn", Instance = "r1", Timestamp = DateTimeOffset.UtcNow, Text = "first" }, stop.Token);
        await _logsReleased.Task.WaitAsync(stop.Token);
        await WriteLogAsync(context, new LogMessage { Name = name, Namespace = "openfaas-fn", Instance = "r1", Timestamp = DateTimeOffset.UtcNow, Text = "second" }, stop.Token);
    }

    private static async Task WriteLogAsync(HttpContext context, LogMessage message, CancellationToken cancellationToken)
    {
        await context.Response.WriteAsync(JsonSerializer.Serialize(message, FaasJsonContext.Default.LogMessage) + "\n", cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

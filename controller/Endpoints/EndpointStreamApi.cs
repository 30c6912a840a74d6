using System.Text.Json;
using Faas.Contracts.Endpoints;
using Faas.Contracts.Json;
using Faas.Controller.Backends;

namespace Faas.Controller.Endpoints;

/// <summary>How often an unchanged snapshot is repeated; tests shorten it.</summary>
public sealed record EndpointStreamOptions
{
    public TimeSpan HeartbeatInterval { get; init; } = EndpointStream.HeartbeatInterval;
}

public static partial class EndpointStreamApi
{
    private static readonly byte[] Newline = "\n"u8.ToArray();

    public static WebApplicationBuilder AddEndpointStream(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(new EndpointStreamOptions());
        return builder;
    }

    /// <summary><c>GET /system/endpoints</c>: NDJSON snapshots on connect, on change, and as heartbeat.</summary>
    public static WebApplication MapEndpointStream(this WebApplication app)
    {
        app.MapGet(EndpointStream.Path, StreamAsync);
        return app;
    }

    private static async Task StreamAsync(
        HttpContext context,
        IFunctionBackend backend,
        EndpointStreamOptions options,
        IHostApplicationLifetime lifetime,
        ILogger<EndpointStreamOptions> logger)
    {
        // Ends on client disconnect or controller shutdown (the stream never ends on its own).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var cancellationToken = stop.Token;
        var response = context.Response;
        response.ContentType = EndpointStream.ContentType;
        response.Headers.CacheControl = "no-cache";
        await response.StartAsync(cancellationToken);
        Log.Connected(logger, context.Connection.RemoteIpAddress?.ToString() ?? "?");

        var source = backend.Endpoints;
        try
        {
            while (true)
            {
                var snapshot = source.Current;
                await JsonSerializer.SerializeAsync(response.Body, snapshot, FaasJsonContext.Default.EndpointSnapshot, cancellationToken);
                await response.Body.WriteAsync(Newline, cancellationToken);
                await response.Body.FlushAsync(cancellationToken);

                // Wake on the next change or when the heartbeat is due, whichever comes first.
                using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                heartbeat.CancelAfter(options.HeartbeatInterval);
                await source.WaitForChangeAsync(snapshot.Version, heartbeat.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException)
        {
            Log.Disconnected(logger);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 400, Level = LogLevel.Debug, Message = "Endpoint stream subscriber connected from {Remote}")]
        public static partial void Connected(ILogger logger, string remote);

        [LoggerMessage(EventId = 401, Level = LogLevel.Debug, Message = "Endpoint stream subscriber disconnected")]
        public static partial void Disconnected(ILogger logger);
    }
}

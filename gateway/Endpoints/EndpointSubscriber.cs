using System.Text.Json;
using Faas.Contracts.Endpoints;
using Faas.Gateway.Configuration;
using Faas.Gateway.Provider;

namespace Faas.Gateway.Endpoints;

/// <summary>Timings of the endpoint stream subscription (tests shorten them).</summary>
public sealed record EndpointStreamSettings
{
    /// <summary>Reconnect when no line arrived for this long (3 heartbeats).</summary>
    public TimeSpan SilenceTimeout { get; init; } = EndpointStreamReader.DefaultSilenceTimeout;

    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Keeps the <see cref="EndpointTable"/> current: subscribes to the controller's
/// <c>GET /system/endpoints</c>, swaps in a new table for each changed snapshot, and reconnects
/// with jittered backoff when the stream fails, ends or goes silent. The last table stays in use
/// while disconnected.
/// </summary>
public sealed partial class EndpointSubscriber(
    ProviderClient provider,
    EndpointTable table,
    GatewayOptions options,
    EndpointStreamSettings settings,
    TimeProvider time,
    ILogger<EndpointSubscriber> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = new Backoff(settings.MinBackoff, settings.MaxBackoff);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ConsumeOneConnectionAsync(backoff, stoppingToken).ConfigureAwait(false);
                LogStreamEnded(logger, provider.BaseUrl);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogStreamFailed(logger, provider.BaseUrl, ProviderClient.Reason(e));
            }

            try
            {
                await Task.Delay(backoff.Next(), time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ConsumeOneConnectionAsync(Backoff backoff, CancellationToken cancellationToken)
    {
        using var response = await provider.OpenEndpointStreamAsync(cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            LogConnected(logger, provider.BaseUrl);
            long? lastVersion = null;
            await foreach (var snapshot in EndpointStreamReader.ReadAsync(stream, settings.SilenceTimeout, Malformed, cancellationToken).ConfigureAwait(false))
            {
                backoff.Reset();
                // A heartbeat repeats the version already applied on this connection. The first
                // line after a (re)connect is always applied: the controller may have restarted.
                if (snapshot.Version == lastVersion)
                {
                    continue;
                }

                lastVersion = snapshot.Version;
                Apply(snapshot);
            }
        }
    }

    private void Apply(EndpointSnapshot snapshot)
    {
        var previous = table.Current;
        var next = RoutingTable.Build(snapshot, previous, options.FunctionNamespace, InvalidEndpoint);
        table.Swap(next);
        LogTableSwapped(logger, previous.Version, next.Version, next.Routes.Count, next.Routes.Values.Sum(r => r.Ready.Length));
    }

    private void Malformed(string line, JsonException e) =>
        LogMalformedLine(logger, line.Length > 200 ? line[..200] : line, e.Message);

    private void InvalidEndpoint(FunctionKey key, string url) => LogInvalidEndpoint(logger, key.ToString(), url);

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Endpoint stream connected to {Controller}")]
    private static partial void LogConnected(ILogger logger, string controller);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Endpoint stream from {Controller} ended; reconnecting")]
    private static partial void LogStreamEnded(ILogger logger, string controller);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Endpoint stream from {Controller} failed: {Reason}; reconnecting")]
    private static partial void LogStreamFailed(ILogger logger, string controller, string reason);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Routing table {OldVersion} -> {NewVersion}: {Functions} functions, {ReadyReplicas} ready replicas")]
    private static partial void LogTableSwapped(ILogger logger, long oldVersion, long newVersion, int functions, int readyReplicas);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Skipped a malformed endpoint stream line ({Error}): {Line}")]
    private static partial void LogMalformedLine(ILogger logger, string line, string error);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "Skipped replica of {Function} with unusable URL '{Url}'")]
    private static partial void LogInvalidEndpoint(ILogger logger, string function, string url);
}

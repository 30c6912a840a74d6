using Faas.Docker;

namespace Faas.Controller.Backends.Docker;

/// <summary>
/// Follows the daemon's events for this controller's containers (label <c>com.faas.network</c>) and
/// kicks a reconcile pass at once when one starts, dies, is removed, paused or unpaused, so a killed replica is
/// replaced without waiting for the poll. Reconnects with back-off (1 s doubling to 5 s) while the
/// daemon is away, and kicks a pass on every (re)connect for what happened meanwhile.
/// </summary>
internal sealed class DockerEventWatcher(DockerBackend backend, ILogger<DockerEventWatcher> logger) : BackgroundService
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var parameters = new EventsParameters
        {
            Filters = new Dictionary<string, IList<string>>
            {
                ["type"] = ["container"],
                ["event"] = ["start", "die", "destroy", "pause", "unpause"],
                ["label"] = [$"{DockerLabels.Network}={backend.Options.Network}"],
            },
        };
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            string reason = "closed by the daemon";
            try
            {
                backend.Kick();
                await foreach (var e in backend.Docker.Events.MonitorEventsAsync(parameters, stoppingToken))
                {
                    delay = TimeSpan.FromSeconds(1);
                    var attributes = e.Actor?.Attributes;
                    DockerBackendLog.ContainerEvent(logger, attributes?.GetValueOrDefault("name") ?? e.Actor?.Id ?? "?", attributes?.GetValueOrDefault(DockerLabels.Function) ?? "?", e.Action ?? "?");
                    backend.Kick();
                }
            }
            catch (DockerException e)
            {
                reason = e.Message;
            }

            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            DockerBackendLog.EventStreamEnded(logger, reason, delay);
            await Task.Delay(delay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }
}

using Faas.Docker;

namespace Faas.Controller.Backends.Docker;

/// <summary>
/// Follows the daemon's events for this controller's containers (label <c>com.faas.network</c>) and
/// kicks a reconcile pass at once when one starts, dies, is removed, paused or unpaused, so a killed replica is
/// replaced without waiting for the poll. Reconnects with back-off (1 s doubling to 5 s) while the
/// daemon is away, and kicks a pass on every (re)connect for what happened meanwhile.
/// </summary>
/// <remarks>
/// Every subscription asks for events <c>since</c> the last one received (before the first: since just
/// before the watcher started), so the daemon replays what it still holds from there: an event between
/// the (re)connect pass's listing and the moment the daemon registers the new subscription, or while a
/// stream was down, still arrives. Replays repeat at most a few events, which only cost a pass.
/// </remarks>
internal sealed class DockerEventWatcher(DockerBackend backend, ILogger<DockerEventWatcher> logger) : BackgroundService
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    /// <summary>How far before its own start the first subscription replays (clock granularity, a daemon clock slightly behind).</summary>
    private static readonly TimeSpan FirstReplay = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var filters = new Dictionary<string, IList<string>>
        {
            ["type"] = ["container"],
            ["event"] = ["start", "die", "destroy", "pause", "unpause"],
            ["label"] = [$"{DockerLabels.Network}={backend.Options.Network}"],
        };
        var since = backend.Time.GetUtcNow() - FirstReplay;
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            string reason = "closed by the daemon";
            try
            {
                backend.Kick();
                await foreach (var e in backend.Docker.Events.MonitorEventsAsync(new EventsParameters { Since = since, Filters = filters }, stoppingToken))
                {
                    delay = TimeSpan.FromSeconds(1);

                    // The daemon's own clock: the next subscription resumes exactly here.
                    if (e.TimeNano > 0 || e.Time > 0)
                    {
                        since = e.Timestamp;
                    }

                    var attributes = e.Actor?.Attributes;
                    DockerBackendLog.ContainerEvent(logger, attributes?.GetValueOrDefault("name") ?? e.Actor?.Id ?? "?", attributes?.GetValueOrDefault(DockerLabels.Function) ?? "?", e.Action ?? "?");
                    backend.OnContainerEvent(e.Action, e.Actor?.Id);
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

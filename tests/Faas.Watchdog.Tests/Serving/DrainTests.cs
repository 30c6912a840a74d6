using System.Diagnostics;
using System.Net;
using Faas.Watchdog.Tests.Support;

namespace Faas.Watchdog.Tests.Serving;

/// <summary>
/// SIGTERM behaviour: the host's StopAsync is what the console lifetime calls on SIGTERM. The
/// unready period (healthcheck_interval) runs on a manual clock, so each phase is observed on purpose.
/// </summary>
public class DrainTests
{
    [Fact]
    public async Task Stop_TurnsUnreadyFirst_ThenFinishesInFlightCalls_ThenStops()
    {
        var gate = new Gate();
        var clock = new ManualTimeProvider();
        await using var watchdog = await TestWatchdog.StartAsync(
            new GatedHandler(gate), clock, ("healthcheck_interval", "1h"), ("write_timeout", "30s"), ("exec_timeout", "0"));
        var inFlight = watchdog.Client.PostAsync("/", new StringContent("x"));
        await gate.Entered.WaitAsync(TimeSpan.FromSeconds(5));

        // 1. Unready while still listening.
        var stop = watchdog.App.StopAsync();
        using var health = await watchdog.WaitForAsync("/_/health", HttpStatusCode.ServiceUnavailable);
        using var ready = await watchdog.Client.GetAsync("/_/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);

        // 2. The interval passes: the server stops accepting but waits for the call in flight.
        await clock.FireAsync();
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.False(stop.IsCompleted, "stopped while a call was still in flight");

        // 3. The call finishes normally, then the host stops.
        gate.Release();
        using var response = await inFlight.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("done", await response.Content.ReadAsStringAsync());
        await stop.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Stop_KeepsServingNewCallsDuringTheHealthcheckInterval()
    {
        var clock = new ManualTimeProvider();
        await using var watchdog = await TestWatchdog.StartAsync(new EchoStringHandler(), clock, ("healthcheck_interval", "1h"));

        var stop = watchdog.App.StopAsync();
        using var health = await watchdog.WaitForAsync("/_/health", HttpStatusCode.ServiceUnavailable);
        using var response = await watchdog.Client.PostAsync("/", new StringContent("late"));

        Assert.Equal("echo:late", await response.Content.ReadAsStringAsync());
        Assert.False(stop.IsCompleted);
        await clock.FireAsync();
        await stop.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Stop_GivesUpOnCallsStillRunningAfterWriteTimeout()
    {
        var gate = new Gate();
        var handler = new GatedHandler(gate);
        await using var watchdog = await TestWatchdog.StartAsync(handler, ("write_timeout", "500ms"), ("exec_timeout", "0"));
        var inFlight = watchdog.Client.PostAsync("/", new StringContent("x"));
        await gate.Entered.WaitAsync(TimeSpan.FromSeconds(5));

        var clock = Stopwatch.StartNew();
        try
        {
            await watchdog.App.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
            // The host reports the missed deadline; what matters is that it stopped.
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"stop took {clock.Elapsed}");
        await handler.Cancelled.WaitAsync(TimeSpan.FromSeconds(5));
        await Assert.ThrowsAnyAsync<Exception>(() => inFlight);
    }
}

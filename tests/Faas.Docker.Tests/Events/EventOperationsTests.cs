using System.Diagnostics;
using Faas.Docker.Tests.Infrastructure;

namespace Faas.Docker.Tests.Events;

[Collection(DockerCollection.Name)]
public sealed class EventOperationsTests(DockerDaemonFixture fixture)
{
    [Fact]
    public async Task Monitor_SeesContainerStart()
    {
        using var deadline = Deadline.Seconds(30);
        await using var scope = fixture.NewScope();
        var name = scope.Name("events");

        // "since" replays from just before the start, so subscribing late cannot miss the event.
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var id = await scope.CreateShellContainerAsync(name, "exec sleep 300", deadline.Token);
        await fixture.Client.Containers.StartContainerAsync(id, deadline.Token);

        DockerEvent? started = null;
        var parameters = new EventsParameters
        {
            Since = since,
            Filters = new Dictionary<string, IList<string>> { ["type"] = ["container"], ["container"] = [name], ["event"] = ["start"] },
        };
        await foreach (var e in fixture.Client.Events.MonitorEventsAsync(parameters, deadline.Token))
        {
            started = e;
            break;
        }

        Assert.NotNull(started);
        Assert.Equal("container", started.Type);
        Assert.Equal("start", started.Action);
        Assert.Equal(id, started.Actor!.Id);
        Assert.Equal(name, started.Actor.Attributes!["name"]);
        Assert.Equal(fixture.RunId, started.Actor.Attributes[DockerDaemonFixture.RunLabel]);
        Assert.InRange(started.Timestamp, since.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(5));
    }

    [Fact]
    public async Task Monitor_WithUntil_EndsByItself()
    {
        using var deadline = Deadline.Seconds(30);
        await using var scope = fixture.NewScope();
        var name = scope.Name("until");
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        await scope.CreateShellContainerAsync(name, "true", deadline.Token);

        var actions = new List<string?>();
        var parameters = new EventsParameters
        {
            Since = since,
            Until = DateTimeOffset.UtcNow.AddSeconds(1),
            Filters = new Dictionary<string, IList<string>> { ["container"] = [name] },
        };
        await foreach (var e in fixture.Client.Events.MonitorEventsAsync(parameters, deadline.Token))
        {
            actions.Add(e.Action);
        }

        Assert.Equal(["create"], actions);
        Assert.False(deadline.IsCancellationRequested);
    }

    [Fact]
    public async Task Monitor_CallerCancels_SequenceEndsWithoutException()
    {
        using var deadline = Deadline.Seconds(30);
        await using var scope = fixture.NewScope();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
        stop.CancelAfter(TimeSpan.FromMilliseconds(300));

        var stopwatch = Stopwatch.StartNew();
        var count = 0;
        var parameters = new EventsParameters { Filters = new Dictionary<string, IList<string>> { ["container"] = [scope.Name("nobody")] } };
        await foreach (var _ in fixture.Client.Events.MonitorEventsAsync(parameters, stop.Token))
        {
            count++;
        }

        Assert.Equal(0, count);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"ended after {stopwatch.Elapsed}");
    }
}

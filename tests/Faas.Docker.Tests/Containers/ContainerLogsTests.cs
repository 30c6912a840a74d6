using System.Diagnostics;
using Faas.Docker.Tests.Infrastructure;

namespace Faas.Docker.Tests.Containers;

[Collection(DockerCollection.Name)]
public sealed class ContainerLogsTests(DockerDaemonFixture fixture)
{
    [Fact]
    public async Task Follow_YieldsLineWrittenLater()
    {
        using var deadline = Deadline.Seconds(30);
        await using var scope = fixture.NewScope();
        var id = await scope.CreateShellContainerAsync(scope.Name("follow"), "echo first; sleep 1; echo later >&2; exec sleep 300", deadline.Token);
        await fixture.Client.Containers.StartContainerAsync(id, deadline.Token);

        var seen = new List<LogLine>();
        await foreach (var line in fixture.Client.Containers.GetContainerLogsAsync(id, new ContainerLogsParameters { Follow = true }, deadline.Token))
        {
            seen.Add(line);
            if (line.Text == "later")
            {
                break;
            }
        }

        Assert.Equal([new LogLine(LogStream.Stdout, null, "first"), new LogLine(LogStream.Stderr, null, "later")], seen);
    }

    [Fact]
    public async Task Follow_CallerCancels_SequenceEndsWithoutException()
    {
        using var deadline = Deadline.Seconds(30);
        await using var scope = fixture.NewScope();
        var id = await scope.CreateShellContainerAsync(scope.Name("quiet"), "echo only-line; exec sleep 300", deadline.Token);
        await fixture.Client.Containers.StartContainerAsync(id, deadline.Token);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);

        var seen = new List<string>();
        var stopwatch = Stopwatch.StartNew();
        await foreach (var line in fixture.Client.Containers.GetContainerLogsAsync(id, new ContainerLogsParameters { Follow = true }, stop.Token))
        {
            seen.Add(line.Text);
            stop.CancelAfter(TimeSpan.FromMilliseconds(300));
        }

        Assert.Equal(["only-line"], seen);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"ended after {stopwatch.Elapsed}");
        Assert.False(deadline.IsCancellationRequested);
    }

    [Fact]
    public async Task Follow_ContainerExits_SequenceEnds()
    {
        using var deadline = Deadline.Seconds(30);
        await using var scope = fixture.NewScope();
        var id = await scope.CreateShellContainerAsync(scope.Name("exits"), "echo a; sleep 1; echo b", deadline.Token);
        await fixture.Client.Containers.StartContainerAsync(id, deadline.Token);

        var seen = new List<string>();
        await foreach (var line in fixture.Client.Containers.GetContainerLogsAsync(id, new ContainerLogsParameters { Follow = true }, deadline.Token))
        {
            seen.Add(line.Text);
        }

        Assert.Equal(["a", "b"], seen);
        Assert.False(deadline.IsCancellationRequested);
    }

    [Fact]
    public async Task Since_SkipsEarlierLines()
    {
        using var deadline = Deadline.Seconds(30);
        await using var scope = fixture.NewScope();
        var id = await scope.CreateShellContainerAsync(scope.Name("since"), "echo early; sleep 2; echo late; exec sleep 300", deadline.Token);
        await fixture.Client.Containers.StartContainerAsync(id, deadline.Token);

        // Find when "late" was written, then ask for everything since just before it.
        LogLine? late = null;
        await foreach (var line in fixture.Client.Containers.GetContainerLogsAsync(id, new ContainerLogsParameters { Follow = true, Timestamps = true }, deadline.Token))
        {
            if (line.Text == "late")
            {
                late = line;
                break;
            }
        }

        var since = late!.Timestamp!.Value.AddMilliseconds(-500);
        var lines = new List<string>();
        await foreach (var line in fixture.Client.Containers.GetContainerLogsAsync(id, new ContainerLogsParameters { Since = since }, deadline.Token))
        {
            lines.Add(line.Text);
        }

        Assert.Equal(["late"], lines);
    }

    [Fact]
    public async Task TtyContainer_OutputIsReadRaw()
    {
        using var deadline = Deadline.Seconds(30);
        await using var scope = fixture.NewScope();
        var id = await scope.CreateContainerAsync(
            new CreateContainerParameters
            {
                Name = scope.Name("tty"),
                Image = fixture.BaseImage,
                Cmd = ["sh", "-c", "echo on-tty; echo also-tty >&2"],
                Tty = true,
                Labels = scope.LabelsWith(),
            },
            deadline.Token);
        await fixture.Client.Containers.StartContainerAsync(id, deadline.Token);
        await fixture.Client.Containers.WaitContainerAsync(id, deadline.Token);

        var lines = new List<LogLine>();
        await foreach (var line in fixture.Client.Containers.GetContainerLogsAsync(id, new ContainerLogsParameters(), deadline.Token))
        {
            lines.Add(line);
        }

        Assert.Equal([new LogLine(LogStream.Stdout, null, "on-tty"), new LogLine(LogStream.Stdout, null, "also-tty")], lines);
    }

    [Fact]
    public async Task Logs_MissingContainer_ThrowsNotFound()
    {
        using var deadline = Deadline.Seconds(10);
        await using var scope = fixture.NewScope();

        await Assert.ThrowsAsync<DockerNotFoundException>(async () =>
        {
            await foreach (var _ in fixture.Client.Containers.GetContainerLogsAsync(scope.Name("missing"), new ContainerLogsParameters(), deadline.Token))
            {
            }
        });
    }
}

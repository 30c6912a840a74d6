using System.Net;
using Faas.Docker.Tests.Infrastructure;

namespace Faas.Docker.Tests.Containers;

[Collection(DockerCollection.Name)]
public sealed class ContainerLifecycleTests(DockerDaemonFixture fixture)
{
    private const long MemoryLimit = 64L * 1024 * 1024;

    [Fact]
    public async Task CreateStartInspectLogsKillWaitRemove_OnUserNetworkWithSecretsMount()
    {
        using var deadline = Deadline.Seconds(60);
        await using var scope = fixture.NewScope();
        var client = fixture.Client;

        var networkName = scope.Name("net");
        var network = await client.Networks.CreateNetworkAsync(new NetworkCreateParameters { Name = networkName, Labels = scope.LabelsWith() }, deadline.Token);
        scope.TrackNetwork(network.Id);

        var secrets = scope.CreateDirectory("secrets");
        await File.WriteAllTextAsync(Path.Combine(secrets, "api-token"), "s3cr3t", deadline.Token);

        // stdout and stderr are copied to the log by separate goroutines: the pause keeps their order fixed for "tail".
        const string Script = """
            echo "err:oops" >&2
            sleep 0.5
            echo "out:$GREETING"
            echo "token:$(cat /var/openfaas/secrets/api-token)"
            if touch /var/openfaas/secrets/new 2>/dev/null; then echo secrets-writable; else echo secrets-read-only; fi
            exec sleep 300
            """;
        var name = scope.Name("lifecycle");
        var id = await scope.CreateContainerAsync(
            new CreateContainerParameters
            {
                Name = name,
                Image = fixture.BaseImage,
                Cmd = ["sh", "-c", Script],
                Env = ["GREETING=hi"],
                Labels = scope.LabelsWith(("faas.function", name)),
                ExposedPorts = new Dictionary<string, EmptyObject> { ["8080/tcp"] = EmptyObject.Instance },
                WorkingDir = "/tmp",
                HostConfig = new HostConfig
                {
                    NetworkMode = networkName,
                    Memory = MemoryLimit,
                    NanoCpus = 500_000_000,
                    ReadonlyRootfs = true,
                    Tmpfs = new Dictionary<string, string> { ["/tmp"] = "rw,size=16m" },
                    Mounts = [new Mount { Type = "bind", Source = secrets, Target = "/var/openfaas/secrets", ReadOnly = true }],
                    RestartPolicy = new RestartPolicy { Name = "no" },
                },
            },
            deadline.Token);

        Assert.True(await client.Containers.StartContainerAsync(id, deadline.Token));
        Assert.False(await client.Containers.StartContainerAsync(name, deadline.Token));

        var inspect = await client.Containers.InspectContainerAsync(id, deadline.Token);
        Assert.Equal("/" + name, inspect.Name);
        Assert.True(inspect.State!.Running);
        Assert.Equal("running", inspect.State.Status);
        Assert.True(inspect.State.Pid > 0);
        Assert.InRange(inspect.State.StartedAt!.Value, DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Null(inspect.State.Health);
        Assert.Equal(MemoryLimit, inspect.HostConfig!.Memory);
        Assert.Equal(500_000_000, inspect.HostConfig.NanoCpus);
        Assert.True(inspect.HostConfig.ReadonlyRootfs);
        Assert.Equal(name, inspect.Config!.Labels!["faas.function"]);
        Assert.Contains("GREETING=hi", inspect.Config.Env!);
        var address = inspect.NetworkSettings!.Networks![networkName].IPAddress;
        Assert.True(IPAddress.TryParse(address, out _), $"IP on {networkName} was '{address}'");
        Assert.Equal(network.Id, inspect.NetworkSettings.Networks[networkName].NetworkID);

        var lines = await LogsUntilAsync(id, "secrets-", deadline.Token);
        Assert.Contains(new LogLine(LogStream.Stdout, null, "out:hi"), lines);
        Assert.Contains(new LogLine(LogStream.Stderr, null, "err:oops"), lines);
        Assert.Contains(new LogLine(LogStream.Stdout, null, "token:s3cr3t"), lines);
        Assert.Contains(new LogLine(LogStream.Stdout, null, "secrets-read-only"), lines);
        Assert.False(File.Exists(Path.Combine(secrets, "new")));

        var tail = await ReadLogsAsync(id, new ContainerLogsParameters { Tail = 1, Timestamps = true }, deadline.Token);
        var last = Assert.Single(tail);
        Assert.Equal("secrets-read-only", last.Text);
        Assert.InRange(last.Timestamp!.Value, DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow.AddMinutes(1));
        var stderrOnly = await ReadLogsAsync(id, new ContainerLogsParameters { Stdout = false }, deadline.Token);
        Assert.Equal([new LogLine(LogStream.Stderr, null, "err:oops")], stderrOnly);

        await client.Containers.KillContainerAsync(id, "SIGKILL", deadline.Token);
        var exit = await client.Containers.WaitContainerAsync(id, deadline.Token);
        Assert.Equal(137, exit.StatusCode);
        var stopped = await client.Containers.InspectContainerAsync(id, deadline.Token);
        Assert.False(stopped.State!.Running);
        Assert.Equal("exited", stopped.State.Status);
        Assert.Equal(137, stopped.State.ExitCode);

        await client.Containers.RemoveContainerAsync(id, cancellationToken: deadline.Token);
        var gone = await Assert.ThrowsAsync<DockerNotFoundException>(() => client.Containers.InspectContainerAsync(id, deadline.Token));
        Assert.Contains("No such container", gone.DaemonMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wait_ReturnsTheProcessExitCode()
    {
        using var deadline = Deadline.Seconds(30);
        await using var scope = fixture.NewScope();
        var id = await scope.CreateShellContainerAsync(scope.Name("exit"), "exit 3", deadline.Token);

        await fixture.Client.Containers.StartContainerAsync(id, deadline.Token);
        var exit = await fixture.Client.Containers.WaitContainerAsync(id, deadline.Token);

        Assert.Equal(3, exit.StatusCode);
        Assert.True(string.IsNullOrEmpty(exit.Error?.Message), exit.Error?.Message);
    }

    [Fact]
    public async Task Stop_RunningContainer_ReturnsTrueThenFalse()
    {
        using var deadline = Deadline.Seconds(30);
        await using var scope = fixture.NewScope();
        var id = await scope.CreateShellContainerAsync(scope.Name("stop"), "exec sleep 300", deadline.Token);
        await fixture.Client.Containers.StartContainerAsync(id, deadline.Token);

        // sleep as PID 1 ignores SIGTERM, so stop escalates to SIGKILL after the 1 s grace.
        Assert.True(await fixture.Client.Containers.StopContainerAsync(id, TimeSpan.FromSeconds(1), deadline.Token));
        Assert.False(await fixture.Client.Containers.StopContainerAsync(id, TimeSpan.FromSeconds(1), deadline.Token));

        var state = (await fixture.Client.Containers.InspectContainerAsync(id, deadline.Token)).State!;
        Assert.Equal("exited", state.Status);
        Assert.Equal(137, state.ExitCode);
    }

    [Fact]
    public async Task PauseUnpause_FreezesAndThaws()
    {
        using var deadline = Deadline.Seconds(30);
        await using var scope = fixture.NewScope();
        var id = await scope.CreateShellContainerAsync(scope.Name("pause"), "exec sleep 300", deadline.Token);
        await fixture.Client.Containers.StartContainerAsync(id, deadline.Token);

        await fixture.Client.Containers.PauseContainerAsync(id, deadline.Token);
        var paused = (await fixture.Client.Containers.InspectContainerAsync(id, deadline.Token)).State!;
        await fixture.Client.Containers.UnpauseContainerAsync(id, deadline.Token);
        var resumed = (await fixture.Client.Containers.InspectContainerAsync(id, deadline.Token)).State!;

        Assert.True(paused.Paused);
        Assert.Equal("paused", paused.Status);
        Assert.False(resumed.Paused);
        Assert.True(resumed.Running);
        Assert.Equal("running", resumed.Status);

        // docker 20.10 answers 500 (not 409) for "not paused".
        var notPaused = await Assert.ThrowsAsync<DockerServerException>(() => fixture.Client.Containers.UnpauseContainerAsync(id, deadline.Token));
        Assert.Contains("is not paused", notPaused.DaemonMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_ByLabel_ReturnsOnlyMatchingContainers()
    {
        using var deadline = Deadline.Seconds(30);
        await using var scope = fixture.NewScope();
        var function = scope.Name("fn");
        var mine = await scope.CreateContainerAsync(
            new CreateContainerParameters { Name = scope.Name("list-a"), Image = fixture.BaseImage, Cmd = ["true"], Labels = scope.LabelsWith(("faas.function", function)) },
            deadline.Token);
        await scope.CreateContainerAsync(
            new CreateContainerParameters { Name = scope.Name("list-b"), Image = fixture.BaseImage, Cmd = ["true"], Labels = scope.LabelsWith(("faas.function", function + "-other")) },
            deadline.Token);

        var all = await fixture.Client.Containers.ListContainersAsync(new ContainerListParameters { Labels = [$"faas.function={function}"] }, deadline.Token);
        var running = await fixture.Client.Containers.ListContainersAsync(new ContainerListParameters { All = false, Labels = [$"faas.function={function}"] }, deadline.Token);

        var summary = Assert.Single(all);
        Assert.Equal(mine, summary.Id);
        Assert.Equal("created", summary.State);
        Assert.Equal(function, summary.Labels!["faas.function"]);
        Assert.Equal(fixture.BaseImage, summary.Image);
        Assert.Empty(running);
    }

    [Fact]
    public async Task Create_DuplicateName_ThrowsConflict()
    {
        using var deadline = Deadline.Seconds(30);
        await using var scope = fixture.NewScope();
        var name = scope.Name("dup");
        await scope.CreateShellContainerAsync(name, "true", deadline.Token);

        var error = await Assert.ThrowsAsync<DockerConflictException>(() => scope.CreateShellContainerAsync(name, "true", deadline.Token));

        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
        Assert.Contains($"\"/{name}\" is already in use", error.DaemonMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_MissingImage_ThrowsNotFoundWithDaemonMessage()
    {
        using var deadline = Deadline.Seconds(30);
        await using var scope = fixture.NewScope();
        var image = scope.Name("faas-docker-test-missing") + ":1.0";

        var error = await Assert.ThrowsAsync<DockerNotFoundException>(() => scope.CreateContainerAsync(
            new CreateContainerParameters { Name = scope.Name("noimage"), Image = image, Labels = scope.LabelsWith() }, deadline.Token));

        Assert.Equal($"No such image: {image}", error.DaemonMessage);
        Assert.Contains(image, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kill_StoppedContainer_ThrowsConflict()
    {
        using var deadline = Deadline.Seconds(30);
        await using var scope = fixture.NewScope();
        var id = await scope.CreateShellContainerAsync(scope.Name("killstopped"), "true", deadline.Token);

        var error = await Assert.ThrowsAsync<DockerConflictException>(() => fixture.Client.Containers.KillContainerAsync(id, cancellationToken: deadline.Token));

        Assert.Contains("is not running", error.DaemonMessage, StringComparison.Ordinal);
    }

    private async Task<List<LogLine>> LogsUntilAsync(string id, string marker, CancellationToken cancellationToken)
    {
        // Output is written asynchronously after start; poll (bounded by the test's deadline) until the marker shows.
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var lines = await ReadLogsAsync(id, new ContainerLogsParameters(), cancellationToken);
            if (lines.Any(l => l.Text.StartsWith(marker, StringComparison.Ordinal)))
            {
                return lines;
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"'{marker}' never appeared in the logs of {id}");
    }

    private async Task<List<LogLine>> ReadLogsAsync(string id, ContainerLogsParameters parameters, CancellationToken cancellationToken)
    {
        var lines = new List<LogLine>();
        await foreach (var line in fixture.Client.Containers.GetContainerLogsAsync(id, parameters, cancellationToken))
        {
            lines.Add(line);
        }

        return lines;
    }
}

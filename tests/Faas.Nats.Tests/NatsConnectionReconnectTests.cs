using Faas.Testing.Nats;

namespace Faas.Nats.Tests;

/// <summary>Each test owns its server, because each one stops it.</summary>
public class NatsConnectionReconnectTests
{
    [Fact]
    public async Task ServerRestart_ReconnectsResubscribesAndFlushesPublishesBufferedMeanwhile()
    {
        await using var server = await NatsServer.StartAsync();
        await using var connection = TestConnections.Create(server.Url);
        var transitions = new List<(NatsConnectionState, NatsConnectionState)>();
        connection.ConnectionStateChanged += (_, e) =>
        {
            lock (transitions)
            {
                transitions.Add((e.OldState, e.NewState));
            }
        };
        var subject = TestConnections.Unique("resub");
        await using var sub = await connection.SubscribeCoreAsync<string>(subject);
        await connection.PublishAsync(subject, "before");
        Assert.Equal("before", (await sub.Msgs.ReadAsync(TestConnections.Timeout())).Data);

        await server.StopAsync();
        await connection.WaitForStateAsync(NatsConnectionState.Reconnecting);
        for (var i = 0; i < 3; i++)
        {
            await connection.PublishAsync(subject, $"buffered-{i}");
        }

        await server.StartAgainAsync();
        await connection.WaitForStateAsync(NatsConnectionState.Open, TimeSpan.FromSeconds(15));

        var received = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            received.Add((await sub.Msgs.ReadAsync(TestConnections.Timeout())).Data);
        }

        Assert.Equal(["buffered-0", "buffered-1", "buffered-2"], received);
        lock (transitions)
        {
            Assert.Contains((NatsConnectionState.Open, NatsConnectionState.Reconnecting), transitions);
            Assert.Contains((NatsConnectionState.Reconnecting, NatsConnectionState.Open), transitions);
        }
    }

    [Fact]
    public async Task ServerRestart_RequestsWorkAgainOnTheSameInbox()
    {
        await using var server = await NatsServer.StartAsync();
        await using var connection = TestConnections.Create(server.Url);
        var subject = TestConnections.Unique("svc");
        await using var sub = await connection.SubscribeCoreAsync<string>(subject);
        var serving = Task.Run(async () =>
        {
            await foreach (var msg in sub.Msgs.ReadAllAsync())
            {
                await msg.ReplyAsync("pong");
            }
        });
        Assert.Equal("pong", (await connection.RequestAsync<string, string>(subject, "ping")).Data);

        await server.RestartAsync();
        await connection.WaitForStateAsync(NatsConnectionState.Open, TimeSpan.FromSeconds(15));

        Assert.Equal("pong", (await connection.RequestAsync<string, string>(subject, "ping", cancellationToken: TestConnections.Timeout())).Data);
        await sub.UnsubscribeAsync();
        await serving.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Disconnected_PublishBeyondTheReconnectBuffer_FailsFast()
    {
        await using var server = await NatsServer.StartAsync();
        await using var connection = TestConnections.Create(server.Url, o => o with { ReconnectBufferSize = 1024 });
        await connection.ConnectAsync();

        await server.StopAsync();
        await connection.WaitForStateAsync(NatsConnectionState.Reconnecting);
        await connection.PublishAsync("buffered", new byte[512]);

        await Assert.ThrowsAsync<NatsReconnectBufferFullException>(() => connection.PublishAsync("buffered", new byte[1024]).AsTask());
    }

    [Fact]
    public async Task ServerGone_AfterMaxReconnectAttempts_ClosesForGoodAndEndsSubscriptions()
    {
        await using var server = await NatsServer.StartAsync();
        await using var connection = TestConnections.Create(server.Url, o => o with { MaxReconnectRetry = 3 });
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.ConnectionStateChanged += (_, e) =>
        {
            if (e.NewState == NatsConnectionState.Closed)
            {
                closed.TrySetResult(e.Error);
            }
        };
        await using var sub = await connection.SubscribeCoreAsync<string>(TestConnections.Unique("doomed"));
        await connection.PingAsync();

        await server.StopAsync();
        var reason = await closed.Task.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(NatsConnectionState.Closed, connection.ConnectionState);
        Assert.IsType<NatsConnectionClosedException>(reason);
        Assert.Contains("3 reconnect attempts", reason.Message);
        await Assert.ThrowsAsync<NatsConnectionClosedException>(() => connection.PublishAsync("x", "y").AsTask());
        await Assert.ThrowsAsync<NatsConnectionClosedException>(async () => await sub.Msgs.Completion.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task StaleConnection_WhenPongsStopComing_IsDroppedAndReconnected()
    {
        await using var server = await NatsServer.StartAsync();
        await using var connection = TestConnections.Create(server.Url, o => o with
        {
            PingInterval = TimeSpan.FromMilliseconds(200),
            MaxPingOut = 2,
            ConnectTimeout = TimeSpan.FromMilliseconds(500),
        });
        await connection.ConnectAsync();

        server.Pause();
        try
        {
            await connection.WaitForStateAsync(NatsConnectionState.Reconnecting, TimeSpan.FromSeconds(10));
        }
        finally
        {
            server.Resume();
        }

        await connection.WaitForStateAsync(NatsConnectionState.Open, TimeSpan.FromSeconds(15));
        await connection.PingAsync(TestConnections.Timeout());
    }

    [Fact]
    public async Task WrongPassword_IsTerminalWithoutRetrying()
    {
        await using var server = await NatsServer.StartAsync("--user", "faas", "--pass", "s3cret");
        await using var connection = TestConnections.Create(server.Url, o => o with
        {
            AuthOpts = new NatsAuthOpts { Username = "faas", Password = "wrong" },
        });

        await Assert.ThrowsAsync<NatsAuthorizationException>(() => connection.ConnectAsync(TestConnections.Timeout()).AsTask());

        Assert.Equal(NatsConnectionState.Closed, connection.ConnectionState);
        await Assert.ThrowsAsync<NatsConnectionClosedException>(() => connection.PublishAsync("x", "y").AsTask());
    }

    [Fact]
    public async Task RightPassword_Connects()
    {
        await using var server = await NatsServer.StartAsync("--user", "faas", "--pass", "s3cret");
        await using var connection = TestConnections.Create(server.Url, o => o with
        {
            AuthOpts = new NatsAuthOpts { Username = "faas", Password = "s3cret" },
        });

        await connection.PingAsync(TestConnections.Timeout());

        Assert.Equal(NatsConnectionState.Open, connection.ConnectionState);
    }

    [Fact]
    public void ReconnectDelay_GrowsExponentiallyWithinJitterUpToTheMaximum()
    {
        var opts = new NatsOpts
        {
            ReconnectWaitMin = TimeSpan.FromMilliseconds(100),
            ReconnectWaitMax = TimeSpan.FromSeconds(1),
            ReconnectJitter = TimeSpan.FromMilliseconds(50),
        };
        var connection = new NatsConnection(opts);

        Assert.InRange(connection.ReconnectDelay(1), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(150));
        Assert.InRange(connection.ReconnectDelay(2), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(250));
        Assert.InRange(connection.ReconnectDelay(3), TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(450));
        Assert.InRange(connection.ReconnectDelay(50), TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(1050));
    }
}

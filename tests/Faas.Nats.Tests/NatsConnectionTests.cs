using Faas.Testing.Nats;

namespace Faas.Nats.Tests;

public class NatsConnectionTests(NatsServerFixture fixture) : IClassFixture<NatsServerFixture>
{
    [Fact]
    public async Task ConnectAsync_OpensTheConnectionAndReadsServerInfo()
    {
        await using var connection = fixture.Connect();
        var states = new List<(NatsConnectionState Old, NatsConnectionState New)>();
        connection.ConnectionStateChanged += (_, e) => states.Add((e.OldState, e.NewState));

        await connection.ConnectAsync(TestConnections.Timeout());

        Assert.Equal(NatsConnectionState.Open, connection.ConnectionState);
        Assert.NotNull(connection.ServerInfo);
        Assert.True(connection.ServerInfo.JetStream);
        Assert.True(connection.ServerInfo.Headers);
        Assert.Equal(
            [(NatsConnectionState.Initial, NatsConnectionState.Connecting), (NatsConnectionState.Connecting, NatsConnectionState.Open)],
            states);
    }

    [Fact]
    public async Task PublishAndSubscribe_RoundTripsPayloadHeadersAndReplySubject()
    {
        await using var subscriber = fixture.Connect();
        await using var publisher = fixture.Connect();
        var subject = TestConnections.Unique("pubsub");
        await using var sub = await subscriber.SubscribeCoreAsync<string>(subject, cancellationToken: TestConnections.Timeout());
        await subscriber.PingAsync(TestConnections.Timeout());

        var headers = new NatsHeaders { ["X-Trace"] = "abc", ["X-Empty"] = string.Empty };
        await publisher.PublishAsync(subject, "hello ünïcode", headers, replyTo: "reply.here", cancellationToken: TestConnections.Timeout());
        var msg = await sub.Msgs.ReadAsync(TestConnections.Timeout());

        Assert.Equal(subject, msg.Subject);
        Assert.Equal("hello ünïcode", msg.Data);
        Assert.Equal("reply.here", msg.ReplyTo);
        Assert.NotNull(msg.Headers);
        Assert.Equal("abc", msg.Headers["X-Trace"].ToString());
        Assert.Equal(string.Empty, msg.Headers["X-Empty"].ToString());
    }

    [Fact]
    public async Task SubscribeAsync_YieldsMessagesInOrderUntilMaxMsgsThenEnds()
    {
        await using var connection = fixture.Connect();
        var subject = TestConnections.Unique("ordered");
        await using var sub = await connection.SubscribeCoreAsync<byte[]>(subject, opts: new NatsSubOpts { MaxMsgs = 5 });

        for (var i = 0; i < 8; i++)
        {
            await connection.PublishAsync(subject, new[] { (byte)i });
        }

        var received = new List<byte>();
        await foreach (var msg in sub.Msgs.ReadAllAsync(TestConnections.Timeout()))
        {
            received.Add(msg.Data![0]);
        }

        Assert.Equal(new byte[] { 0, 1, 2, 3, 4 }, received);
    }

    [Fact]
    public async Task SubscribeAsync_AsAsyncEnumerableStopsAndUnsubscribesWhenTheConsumerBreaks()
    {
        await using var connection = fixture.Connect();
        var subject = TestConnections.Unique("enumerable");
        var first = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = Task.Run(async () =>
        {
            await foreach (var msg in connection.SubscribeAsync<string>(subject, cancellationToken: TestConnections.Timeout()))
            {
                first.TrySetResult(msg.Data);
                break;
            }
        });

        // The SUB may not be queued yet when the first publish goes out, so publish until one lands (bounded).
        for (var i = 0; i < 100 && !first.Task.IsCompleted; i++)
        {
            await connection.PublishAsync(subject, "ping");
            await Task.WhenAny(first.Task, Task.Delay(50));
        }

        Assert.Equal("ping", await first.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        await reader.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task QueueGroup_DeliversEachMessageToExactlyOneMember()
    {
        await using var connection = fixture.Connect();
        var subject = TestConnections.Unique("queue");
        await using var a = await connection.SubscribeCoreAsync<string>(subject, queueGroup: "workers");
        await using var b = await connection.SubscribeCoreAsync<string>(subject, queueGroup: "workers");
        await using var plain = await connection.SubscribeCoreAsync<string>(subject);
        const int count = 50;

        for (var i = 0; i < count; i++)
        {
            await connection.PublishAsync(subject, i.ToString());
        }

        var seenByPlain = new List<string?>();
        for (var i = 0; i < count; i++)
        {
            seenByPlain.Add((await plain.Msgs.ReadAsync(TestConnections.Timeout())).Data);
        }

        await connection.PingAsync(TestConnections.Timeout());
        var queued = Drain(a).Concat(Drain(b)).ToList();
        Assert.Equal(count, seenByPlain.Count);
        Assert.Equal(count, queued.Count);
        Assert.Equal(Enumerable.Range(0, count).Select(i => i.ToString()).Order(), queued.Order());
    }

    [Fact]
    public async Task RequestAsync_ReturnsTheResponderReply()
    {
        await using var responder = fixture.Connect();
        await using var requester = fixture.Connect();
        var subject = TestConnections.Unique("svc");
        await using var sub = await responder.SubscribeCoreAsync<string>(subject);
        await responder.PingAsync(TestConnections.Timeout());
        var serving = Task.Run(async () =>
        {
            await foreach (var msg in sub.Msgs.ReadAllAsync())
            {
                await msg.ReplyAsync($"echo:{msg.Data}", new NatsHeaders { ["X-Handled"] = "yes" });
            }
        });

        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            requester.RequestAsync<string, string>(subject, $"m{i}", cancellationToken: TestConnections.Timeout()).AsTask()));

        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"echo:m{i}"), replies.Select(r => r.Data));
        Assert.All(replies, r => Assert.Equal("yes", r.Headers!["X-Handled"].ToString()));
        await sub.UnsubscribeAsync();
        await serving.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task RequestAsync_WithoutResponders_ThrowsNoResponders()
    {
        await using var connection = fixture.Connect();
        var subject = TestConnections.Unique("nobody");

        var error = await Assert.ThrowsAsync<NatsNoRespondersException>(
            () => connection.RequestAsync<string, string>(subject, "hi", cancellationToken: TestConnections.Timeout()).AsTask());

        Assert.Equal(subject, error.Subject);
    }

    [Fact]
    public async Task RequestAsync_WhenTheResponderStaysSilent_TimesOut()
    {
        await using var connection = fixture.Connect();
        var subject = TestConnections.Unique("silent");
        await using var sub = await connection.SubscribeCoreAsync<string>(subject);

        await Assert.ThrowsAsync<NatsTimeoutException>(() => connection.RequestAsync<string, string>(
            subject, "hi", replyOpts: new NatsSubOpts { Timeout = TimeSpan.FromMilliseconds(200) }).AsTask());
    }

    [Fact]
    public async Task PingAsync_MeasuresARoundTrip()
    {
        await using var connection = fixture.Connect();

        var rtt = await connection.PingAsync(TestConnections.Timeout());

        Assert.InRange(rtt, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task PublishAsync_HalfAMegabytePayloadArrivesIntact()
    {
        await using var connection = fixture.Connect();
        var subject = TestConnections.Unique("big");
        await using var sub = await connection.SubscribeCoreAsync<byte[]>(subject);
        var payload = new byte[512 * 1024];
        new Random(7).NextBytes(payload);

        await connection.PublishAsync(subject, payload);
        var msg = await sub.Msgs.ReadAsync(TestConnections.Timeout());

        Assert.Equal(payload, msg.Data);
    }

    [Fact]
    public async Task PublishAsync_ManySmallMessagesAreAllDeliveredInOrder()
    {
        await using var connection = fixture.Connect(o => o with { SubPendingChannelCapacity = 20_000 });
        var subject = TestConnections.Unique("burst");
        await using var sub = await connection.SubscribeCoreAsync<byte[]>(subject);
        const int count = 10_000;

        for (var i = 0; i < count; i++)
        {
            await connection.PublishAsync(subject, BitConverter.GetBytes(i));
        }

        for (var i = 0; i < count; i++)
        {
            var msg = await sub.Msgs.ReadAsync(TestConnections.Timeout());
            Assert.Equal(i, BitConverter.ToInt32(msg.Data!));
        }
    }

    [Fact]
    public async Task PublishAsync_LargerThanMaxPayload_ThrowsWithoutSending()
    {
        await using var connection = fixture.Connect();
        await connection.ConnectAsync();
        var tooBig = new byte[connection.ServerInfo!.MaxPayload + 1];

        await Assert.ThrowsAsync<NatsPayloadTooLargeException>(() => connection.PublishAsync("big.one", tooBig).AsTask());
        Assert.Equal(NatsConnectionState.Open, connection.ConnectionState);
    }

    [Fact]
    public async Task DisposeAsync_ClosesForGoodAndLaterCallsThrowClosed()
    {
        var connection = fixture.Connect();
        await connection.ConnectAsync();
        var sub = await connection.SubscribeCoreAsync<string>(TestConnections.Unique("closing"));

        await connection.DisposeAsync();

        Assert.Equal(NatsConnectionState.Closed, connection.ConnectionState);
        await Assert.ThrowsAsync<NatsConnectionClosedException>(() => connection.PublishAsync("x", "y").AsTask());
        await Assert.ThrowsAsync<NatsConnectionClosedException>(() => connection.ConnectAsync().AsTask());
        Assert.True(sub.Msgs.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task ConnectAsync_ToAPortNobodyListensOn_FailsAndCanBeRetried()
    {
        await using var connection = TestConnections.Create("nats://127.0.0.1:1");

        await Assert.ThrowsAsync<NatsConnectionFailedException>(() => connection.ConnectAsync(TestConnections.Timeout()).AsTask());

        Assert.Equal(NatsConnectionState.Initial, connection.ConnectionState);
    }

    [Fact]
    public void Options_ReportEveryInvalidValueAtOnce()
    {
        var opts = new NatsOpts { Url = "http://x", MaxPingOut = 0, MaxReconnectRetry = -5, ReconnectWaitMin = TimeSpan.Zero };

        var error = Assert.Throws<ArgumentException>(() => new NatsConnection(opts));

        Assert.Contains("Url", error.Message);
        Assert.Contains("MaxPingOut: 0", error.Message);
        Assert.Contains("MaxReconnectRetry: -5", error.Message);
        Assert.Contains("ReconnectWaitMin", error.Message);
    }

    private static List<string?> Drain(NatsSub<string> sub)
    {
        var items = new List<string?>();
        while (sub.Msgs.TryRead(out var msg))
        {
            items.Add(msg.Data);
        }

        return items;
    }
}

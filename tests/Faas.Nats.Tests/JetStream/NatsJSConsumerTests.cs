using System.Diagnostics;
using Faas.Nats.JetStream;
using Faas.Nats.JetStream.Models;
using Faas.Testing.Nats;

namespace Faas.Nats.Tests.JetStream;

public class NatsJSConsumerTests(NatsServerFixture fixture) : IClassFixture<NatsServerFixture>
{
    private static readonly AckOpts Confirmed = new(DoubleAck: true);

    [Fact]
    public async Task Fetch_FromADurablePullConsumer_YieldsMessagesWithMetadataAndAckRemovesThem()
    {
        await using var connection = fixture.Connect();
        var (js, stream) = await CreateStreamAsync(connection);
        for (var i = 1; i <= 3; i++)
        {
            await js.PublishAsync($"{stream}.orders", $"order-{i}");
        }

        var consumer = await js.CreateOrUpdateConsumerAsync(stream, new ConsumerConfig("worker") { FilterSubject = $"{stream}.orders" });
        var received = new List<NatsJSMsg<string>>();
        await foreach (var msg in consumer.FetchAsync<string>(new NatsJSFetchOpts { MaxMsgs = 10, Expires = TimeSpan.FromSeconds(1) }, TestConnections.Timeout()))
        {
            received.Add(msg);
            await msg.AckAsync(Confirmed);
        }

        Assert.Equal(["order-1", "order-2", "order-3"], received.Select(m => m.Data));
        var last = received[^1].Metadata!.Value;
        Assert.Equal(stream, last.Stream);
        Assert.Equal("worker", last.Consumer);
        Assert.Equal(3ul, last.Sequence.Stream);
        Assert.Equal(3ul, last.Sequence.Consumer);
        Assert.Equal(1ul, last.NumDelivered);
        Assert.Equal(0ul, last.NumPending);
        Assert.Equal(2ul, received[0].Metadata!.Value.NumPending);
        Assert.True(last.Timestamp > DateTimeOffset.UtcNow.AddMinutes(-5));
        await consumer.RefreshAsync();
        Assert.Equal(0, consumer.Info.NumAckPending);
        Assert.Equal(3ul, consumer.Info.AckFloor.StreamSeq);
    }

    [Fact]
    public async Task FetchNoWait_OnAnEmptyConsumer_EndsAtOnceWithNothing()
    {
        await using var connection = fixture.Connect();
        var (js, stream) = await CreateStreamAsync(connection);
        var consumer = await js.CreateOrUpdateConsumerAsync(stream, new ConsumerConfig("idle"));
        var watch = Stopwatch.StartNew();

        var count = await CountAsync(consumer.FetchNoWaitAsync<string>(new NatsJSFetchOpts { MaxMsgs = 5 }));

        Assert.Equal(0, count);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task FetchNoWait_WithFewerMessagesThanTheBatch_ReturnsWhatThereIs()
    {
        await using var connection = fixture.Connect();
        var (js, stream) = await CreateStreamAsync(connection);
        await js.PublishAsync($"{stream}.x", "a");
        await js.PublishAsync($"{stream}.x", "b");
        var consumer = await js.CreateOrUpdateConsumerAsync(stream, new ConsumerConfig("partial"));
        var watch = Stopwatch.StartNew();

        var count = await CountAsync(consumer.FetchNoWaitAsync<string>(new NatsJSFetchOpts { MaxMsgs = 10 }));

        Assert.Equal(2, count);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Fetch_WhenNothingArrivesBeforeExpiry_EndsEmptyAtExpiry()
    {
        await using var connection = fixture.Connect();
        var (js, stream) = await CreateStreamAsync(connection);
        var consumer = await js.CreateOrUpdateConsumerAsync(stream, new ConsumerConfig("waiting"));
        var watch = Stopwatch.StartNew();

        var count = await CountAsync(consumer.FetchAsync<string>(new NatsJSFetchOpts
        {
            MaxMsgs = 5,
            Expires = TimeSpan.FromMilliseconds(500),
            IdleHeartbeat = TimeSpan.FromMilliseconds(100),
        }));

        Assert.Equal(0, count);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Fetch_WaitsForAMessagePublishedWhileTheRequestIsOpen()
    {
        await using var connection = fixture.Connect();
        var (js, stream) = await CreateStreamAsync(connection);
        var consumer = await js.CreateOrUpdateConsumerAsync(stream, new ConsumerConfig("late"));

        var next = consumer.NextAsync<string>(TimeSpan.FromSeconds(5), TestConnections.Timeout()).AsTask();
        await js.PublishAsync($"{stream}.x", "late arrival");
        var msg = await next;

        Assert.Equal("late arrival", msg?.Data);
    }

    [Fact]
    public async Task Nak_WithDelay_RedeliversAfterTheDelayWithNumDeliveredTwo()
    {
        await using var connection = fixture.Connect();
        var (js, stream) = await CreateStreamAsync(connection);
        await js.PublishAsync($"{stream}.x", "retry me");
        var consumer = await js.CreateOrUpdateConsumerAsync(stream, new ConsumerConfig("nakker") { AckWait = TimeSpan.FromSeconds(30) });
        var first = await consumer.NextAsync<string>(TimeSpan.FromSeconds(2));
        Assert.Equal(1ul, first!.Value.Metadata!.Value.NumDelivered);

        var watch = Stopwatch.StartNew();
        await first.Value.NakAsync(Confirmed, delay: TimeSpan.FromMilliseconds(800));
        var early = await CountAsync(consumer.FetchAsync<string>(new NatsJSFetchOpts { Expires = TimeSpan.FromMilliseconds(300) }));
        var again = await consumer.NextAsync<string>(TimeSpan.FromSeconds(5));

        Assert.Equal(0, early);
        Assert.Equal("retry me", again?.Data);
        Assert.Equal(2ul, again!.Value.Metadata!.Value.NumDelivered);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(700), $"redelivered after {watch.Elapsed}");
        await again.Value.AckAsync(Confirmed);
    }

    [Fact]
    public async Task Unacked_IsRedeliveredAfterAckWait()
    {
        await using var connection = fixture.Connect();
        var (js, stream) = await CreateStreamAsync(connection);
        await js.PublishAsync($"{stream}.x", "forgotten");
        var consumer = await js.CreateOrUpdateConsumerAsync(stream, new ConsumerConfig("slow") { AckWait = TimeSpan.FromSeconds(1) });

        var first = await consumer.NextAsync<string>(TimeSpan.FromSeconds(2));
        var again = await consumer.NextAsync<string>(TimeSpan.FromSeconds(5));

        Assert.Equal(1ul, first!.Value.Metadata!.Value.NumDelivered);
        Assert.Equal("forgotten", again?.Data);
        Assert.Equal(2ul, again!.Value.Metadata!.Value.NumDelivered);
        Assert.Equal(first.Value.Metadata!.Value.Sequence.Stream, again.Value.Metadata!.Value.Sequence.Stream);
    }

    [Fact]
    public async Task AckProgress_KeepsTheMessageFromBeingRedeliveredPastAckWait()
    {
        await using var connection = fixture.Connect();
        var (js, stream) = await CreateStreamAsync(connection);
        await js.PublishAsync($"{stream}.x", "long job");
        var consumer = await js.CreateOrUpdateConsumerAsync(stream, new ConsumerConfig("busy") { AckWait = TimeSpan.FromSeconds(2) });
        var msg = (await consumer.NextAsync<string>(TimeSpan.FromSeconds(2)))!.Value;

        // Work for one and a half times the ack wait, reporting progress roughly every 400ms.
        var watch = Stopwatch.StartNew();
        var redelivered = 0;
        while (watch.Elapsed < TimeSpan.FromSeconds(3))
        {
            await msg.AckProgressAsync(Confirmed);
            redelivered += await CountAsync(consumer.FetchAsync<string>(new NatsJSFetchOpts { Expires = TimeSpan.FromMilliseconds(400) }));
        }

        await msg.AckAsync(Confirmed);
        await consumer.RefreshAsync();

        Assert.Equal(0, redelivered);
        Assert.Equal(0, consumer.Info.NumRedelivered);
        Assert.Equal(0, consumer.Info.NumAckPending);
    }

    [Fact]
    public async Task Term_IsNeverRedelivered()
    {
        await using var connection = fixture.Connect();
        var (js, stream) = await CreateStreamAsync(connection);
        await js.PublishAsync($"{stream}.x", "poison");
        var consumer = await js.CreateOrUpdateConsumerAsync(stream, new ConsumerConfig("terminator") { AckWait = TimeSpan.FromMilliseconds(500) });
        var msg = (await consumer.NextAsync<string>(TimeSpan.FromSeconds(2)))!.Value;

        await msg.AckTerminateAsync(Confirmed);
        var later = await CountAsync(consumer.FetchAsync<string>(new NatsJSFetchOpts { Expires = TimeSpan.FromMilliseconds(1500) }));
        await consumer.RefreshAsync();

        Assert.Equal(0, later);
        Assert.Equal(0, consumer.Info.NumAckPending);
        Assert.Equal(0ul, consumer.Info.NumPending);
    }

    [Fact]
    public async Task ConsumerInfo_ReportsPendingAndAckPendingCounts()
    {
        await using var connection = fixture.Connect();
        var (js, stream) = await CreateStreamAsync(connection);
        for (var i = 0; i < 5; i++)
        {
            await js.PublishAsync($"{stream}.x", $"m{i}");
        }

        var consumer = await js.CreateOrUpdateConsumerAsync(stream, new ConsumerConfig("counter"));
        Assert.Equal(5ul, consumer.Info.NumPending);

        var fetched = new List<NatsJSMsg<string>>();
        await foreach (var msg in consumer.FetchAsync<string>(new NatsJSFetchOpts { MaxMsgs = 2, Expires = TimeSpan.FromSeconds(1) }))
        {
            fetched.Add(msg);
        }

        await consumer.RefreshAsync();
        Assert.Equal(3ul, consumer.Info.NumPending);
        Assert.Equal(2, consumer.Info.NumAckPending);

        await fetched[0].AckAsync(Confirmed);
        await consumer.RefreshAsync();
        Assert.Equal(1, consumer.Info.NumAckPending);

        var again = await js.GetConsumerAsync(stream, "counter");
        Assert.Equal(3ul, again.Info.NumPending);
    }

    [Fact]
    public async Task CreateOrUpdateConsumer_RoundTripsItsConfigIncludingBackoff()
    {
        await using var connection = fixture.Connect();
        var (js, stream) = await CreateStreamAsync(connection);
        var config = new ConsumerConfig("configured")
        {
            FilterSubject = $"{stream}.jobs",
            AckWait = TimeSpan.FromSeconds(5),
            MaxDeliver = 4,
            MaxAckPending = 10,
            Backoff = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)],
            DeliverPolicy = ConsumerConfigDeliverPolicy.New,
        };

        var consumer = await js.CreateOrUpdateConsumerAsync(stream, config);
        var updated = await js.CreateOrUpdateConsumerAsync(stream, config with { MaxAckPending = 20 });

        Assert.Equal("configured", consumer.Info.Config.DurableName);
        Assert.Equal(ConsumerConfigAckPolicy.Explicit, consumer.Info.Config.AckPolicy);
        Assert.Equal(ConsumerConfigDeliverPolicy.New, consumer.Info.Config.DeliverPolicy);
        Assert.Equal(4, consumer.Info.Config.MaxDeliver);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)], consumer.Info.Config.Backoff);
        Assert.Equal(20, updated.Info.Config.MaxAckPending);
    }

    [Fact]
    public async Task GetConsumer_ThatDoesNotExist_ThrowsApiError()
    {
        await using var connection = fixture.Connect();
        var (js, stream) = await CreateStreamAsync(connection);

        var error = await Assert.ThrowsAsync<NatsJSApiException>(() => js.GetConsumerAsync(stream, "ghost").AsTask());

        Assert.Equal(JSErrorCodes.ConsumerNotFound, error.Error.ErrCode);
    }

    [Fact]
    public async Task Fetch_FromADeletedConsumer_EndsEmptyByItsClientDeadline()
    {
        await using var connection = fixture.Connect();
        var (js, stream) = await CreateStreamAsync(connection);
        var consumer = await js.CreateOrUpdateConsumerAsync(stream, new ConsumerConfig("gone"));
        Assert.True(await js.DeleteConsumerAsync(stream, "gone"));
        var watch = Stopwatch.StartNew();

        var count = await CountAsync(consumer.FetchAsync<string>(new NatsJSFetchOpts { Expires = TimeSpan.FromMilliseconds(300) }));

        Assert.Equal(0, count);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Consume_YieldsAcrossSeveralPullRequestsUntilCancelled()
    {
        await using var connection = fixture.Connect();
        var (js, stream) = await CreateStreamAsync(connection);
        var consumer = await js.CreateOrUpdateConsumerAsync(stream, new ConsumerConfig("loop"));
        for (var i = 0; i < 7; i++)
        {
            await js.PublishAsync($"{stream}.x", $"m{i}");
        }

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = new List<string?>();
        try
        {
            await foreach (var msg in consumer.ConsumeAsync<string>(new NatsJSConsumeOpts { MaxMsgs = 3, Expires = TimeSpan.FromSeconds(1) }, stop.Token))
            {
                received.Add(msg.Data);
                await msg.AckAsync();
                if (received.Count == 7)
                {
                    await stop.CancelAsync();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"m{i}"), received);
    }

    private async Task<(NatsJSContext Js, string Stream)> CreateStreamAsync(NatsConnection connection)
    {
        var js = new NatsJSContext(connection);
        var name = TestConnections.Unique("C");
        await js.CreateStreamAsync(new StreamConfig(name, [$"{name}.>"]) { Storage = StreamConfigStorage.File });
        return (js, name);
    }

    private static async Task<int> CountAsync<T>(IAsyncEnumerable<NatsJSMsg<T>> messages)
    {
        var count = 0;
        await foreach (var _ in messages.WithCancellation(TestConnections.Timeout()))
        {
            count++;
        }

        return count;
    }
}

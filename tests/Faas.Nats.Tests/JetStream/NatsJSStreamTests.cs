using Faas.Nats.JetStream;
using Faas.Nats.JetStream.Models;
using Faas.Testing.Nats;

namespace Faas.Nats.Tests.JetStream;

public class NatsJSStreamTests(NatsServerFixture fixture) : IClassFixture<NatsServerFixture>
{
    [Fact]
    public async Task CreateStream_WithFileStorage_ReturnsItsConfigAndEmptyState()
    {
        await using var connection = fixture.Connect();
        var js = new NatsJSContext(connection);
        var name = TestConnections.Unique("S");

        var stream = await js.CreateStreamAsync(new StreamConfig(name, [$"{name}.>"])
        {
            Storage = StreamConfigStorage.File,
            MaxAge = TimeSpan.FromHours(1),
            MaxMsgs = 1000,
            DuplicateWindow = TimeSpan.FromSeconds(30),
            AllowDirect = true,
        });

        Assert.Equal(name, stream.Info.Config.Name);
        Assert.Equal(StreamConfigStorage.File, stream.Info.Config.Storage);
        Assert.Equal(TimeSpan.FromHours(1), stream.Info.Config.MaxAge);
        Assert.Equal(1000, stream.Info.Config.MaxMsgs);
        Assert.Equal(TimeSpan.FromSeconds(30), stream.Info.Config.DuplicateWindow);
        Assert.Equal(0ul, stream.Info.State.Messages);
        Assert.True(stream.Info.Created > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task UpdateStream_ChangesLimitsAndGetStreamReadsThemBack()
    {
        await using var connection = fixture.Connect();
        var js = new NatsJSContext(connection);
        var name = TestConnections.Unique("S");
        var config = new StreamConfig(name, [$"{name}.>"]) { Storage = StreamConfigStorage.Memory };
        await js.CreateStreamAsync(config);

        await js.UpdateStreamAsync(config with { MaxMsgs = 5, Description = "updated" });
        var stream = await js.GetStreamAsync(name);

        Assert.Equal(5, stream.Info.Config.MaxMsgs);
        Assert.Equal("updated", stream.Info.Config.Description);
    }

    [Fact]
    public async Task GetStream_ThatDoesNotExist_ThrowsApiErrorWithCodes()
    {
        await using var connection = fixture.Connect();
        var js = new NatsJSContext(connection);

        var error = await Assert.ThrowsAsync<NatsJSApiException>(() => js.GetStreamAsync(TestConnections.Unique("missing")).AsTask());

        Assert.Equal(404, error.Error.Code);
        Assert.Equal(JSErrorCodes.StreamNotFound, error.Error.ErrCode);
        Assert.Contains("not found", error.Error.Description);
    }

    [Fact]
    public async Task DeleteStream_RemovesIt()
    {
        await using var connection = fixture.Connect();
        var js = new NatsJSContext(connection);
        var name = TestConnections.Unique("S");
        await js.CreateStreamAsync(new StreamConfig(name, [$"{name}.>"]));

        Assert.True(await js.DeleteStreamAsync(name));

        await Assert.ThrowsAsync<NatsJSApiException>(() => js.GetStreamAsync(name).AsTask());
    }

    [Fact]
    public async Task Publish_ReturnsTheStreamAndSequence()
    {
        await using var connection = fixture.Connect();
        var js = new NatsJSContext(connection);
        var name = TestConnections.Unique("S");
        await js.CreateStreamAsync(new StreamConfig(name, [$"{name}.>"]));

        var first = await js.PublishAsync($"{name}.a", "one");
        var second = await js.PublishAsync($"{name}.b", "two");

        Assert.Equal(name, first.Stream);
        Assert.Equal(1ul, first.Seq);
        Assert.Equal(2ul, second.Seq);
        Assert.False(second.Duplicate);
    }

    [Fact]
    public async Task Publish_WithARepeatedMsgId_IsFlaggedDuplicateAndStoredOnce()
    {
        await using var connection = fixture.Connect();
        var js = new NatsJSContext(connection);
        var name = TestConnections.Unique("S");
        await js.CreateStreamAsync(new StreamConfig(name, [$"{name}.>"]) { DuplicateWindow = TimeSpan.FromMinutes(1) });

        var first = await js.PublishAsync($"{name}.job", "run", new NatsJSPubOpts { MsgId = "job-42" });
        var again = await js.PublishAsync($"{name}.job", "run", new NatsJSPubOpts { MsgId = "job-42" });
        var stream = await js.GetStreamAsync(name);

        Assert.False(first.Duplicate);
        Assert.True(again.Duplicate);
        Assert.Equal(first.Seq, again.Seq);
        Assert.Equal(1ul, stream.Info.State.Messages);
    }

    [Fact]
    public async Task Publish_WithAWrongExpectedLastSequence_IsRejected()
    {
        await using var connection = fixture.Connect();
        var js = new NatsJSContext(connection);
        var name = TestConnections.Unique("S");
        await js.CreateStreamAsync(new StreamConfig(name, [$"{name}.>"]));
        await js.PublishAsync($"{name}.a", "one");

        var error = await Assert.ThrowsAsync<NatsJSApiException>(
            () => js.PublishAsync($"{name}.a", "two", new NatsJSPubOpts { ExpectedLastSequence = 7 }).AsTask());

        Assert.Equal(JSErrorCodes.StreamWrongLastSequence, error.Error.ErrCode);
    }

    [Fact]
    public async Task Publish_ToASubjectNoStreamCaptures_ThrowsNoResponders()
    {
        await using var connection = fixture.Connect();
        var js = new NatsJSContext(connection);

        await Assert.ThrowsAsync<NatsNoRespondersException>(() => js.PublishAsync(TestConnections.Unique("nostream"), "x").AsTask());
    }
}

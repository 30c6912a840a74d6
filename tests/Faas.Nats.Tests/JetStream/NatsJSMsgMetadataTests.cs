using Faas.Nats.JetStream;

namespace Faas.Nats.Tests.JetStream;

public class NatsJSMsgMetadataTests
{
    [Fact]
    public void ParsesTheClassicNineTokenAckSubject()
    {
        Assert.True(NatsJSMsgMetadata.TryParse("$JS.ACK.ORDERS.worker.2.15.7.1700000000123456789.4", out var metadata));

        Assert.Equal("ORDERS", metadata.Stream);
        Assert.Equal("worker", metadata.Consumer);
        Assert.Equal(2ul, metadata.NumDelivered);
        Assert.Equal(15ul, metadata.Sequence.Stream);
        Assert.Equal(7ul, metadata.Sequence.Consumer);
        Assert.Equal(4ul, metadata.NumPending);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000123).AddTicks(4567), metadata.Timestamp);
        Assert.Equal(string.Empty, metadata.Domain);
    }

    [Fact]
    public void ParsesTheNewerTokenFormatWithDomainAndAccountHash()
    {
        Assert.True(NatsJSMsgMetadata.TryParse("$JS.ACK.hub.ACCHASH.ORDERS.worker.1.3.2.1700000000000000000.0.rAnD0m", out var metadata));

        Assert.Equal("hub", metadata.Domain);
        Assert.Equal("ORDERS", metadata.Stream);
        Assert.Equal("worker", metadata.Consumer);
        Assert.Equal(new NatsJSSequencePair(3, 2), metadata.Sequence);
        Assert.Equal(0ul, metadata.NumPending);
    }

    [Fact]
    public void TreatsUnderscoreDomainAsNoDomain()
    {
        Assert.True(NatsJSMsgMetadata.TryParse("$JS.ACK._.ACCHASH.S.C.1.1.1.1.0.tok", out var metadata));

        Assert.Equal(string.Empty, metadata.Domain);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("_INBOX.abc")]
    [InlineData("$JS.ACK.S.C.1.2")]
    [InlineData("$JS.ACK.S.C.x.1.1.1.0")]
    public void RejectsSubjectsThatAreNotAckSubjects(string? subject)
    {
        Assert.False(NatsJSMsgMetadata.TryParse(subject, out _));
    }
}

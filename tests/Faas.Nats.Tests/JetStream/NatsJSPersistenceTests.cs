using Faas.Nats.JetStream;
using Faas.Nats.JetStream.Models;
using Faas.Testing.Nats;

namespace Faas.Nats.Tests.JetStream;

/// <summary>Owns its server because it restarts it.</summary>
public class NatsJSPersistenceTests
{
    [Fact]
    public async Task FileStream_MessagesAndConsumerProgressSurviveAServerRestart()
    {
        await using var server = await NatsServer.StartAsync();
        await using var connection = TestConnections.Create(server.Url);
        var js = new NatsJSContext(connection);
        var name = TestConnections.Unique("P");
        await js.CreateStreamAsync(new StreamConfig(name, [$"{name}.>"]) { Storage = StreamConfigStorage.File });
        for (var i = 0; i < 3; i++)
        {
            await js.PublishAsync($"{name}.x", $"m{i}");
        }

        var consumer = await js.CreateOrUpdateConsumerAsync(name, new ConsumerConfig("durable"));
        var first = await consumer.NextAsync<string>(TimeSpan.FromSeconds(2));
        await first!.Value.AckAsync(new AckOpts(DoubleAck: true));

        await server.RestartAsync();
        await connection.WaitForStateAsync(NatsConnectionState.Open, TimeSpan.FromSeconds(15));

        var stream = await GetStreamWhenReadyAsync(js, name);
        Assert.Equal(3ul, stream.Info.State.Messages);
        var afterRestart = await js.GetConsumerAsync(name, "durable");
        var rest = new List<string?>();
        await foreach (var msg in afterRestart.FetchAsync<string>(new NatsJSFetchOpts { MaxMsgs = 10, Expires = TimeSpan.FromSeconds(1) }, TestConnections.Timeout()))
        {
            rest.Add(msg.Data);
            await msg.AckAsync(new AckOpts(DoubleAck: true));
        }

        Assert.Equal(["m1", "m2"], rest);
    }

    /// <summary>JetStream may answer "unavailable" for a moment after start while it recovers its store.</summary>
    private static async Task<NatsJSStream> GetStreamWhenReadyAsync(NatsJSContext js, string name)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await js.GetStreamAsync(name, TestConnections.Timeout());
            }
            catch (NatsException) when (attempt < 20)
            {
                await Task.Delay(100);
            }
        }
    }
}

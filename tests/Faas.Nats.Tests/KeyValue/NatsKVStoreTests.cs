using System.Diagnostics;
using Faas.Nats.JetStream;
using Faas.Nats.KeyValue;
using Faas.Testing.Nats;

namespace Faas.Nats.Tests.KeyValue;

public class NatsKVStoreTests(NatsServerFixture fixture) : IClassFixture<NatsServerFixture>
{
    [Fact]
    public async Task Put_ThenGetEntry_ReturnsTheValueAndItsRevision()
    {
        await using var connection = fixture.Connect();
        var kv = await CreateBucketAsync(connection);

        var revision = await kv.PutAsync("functions.echo", "v1");
        var entry = await kv.GetEntryAsync<string>("functions.echo");

        Assert.Equal("v1", entry.Value);
        Assert.Equal(revision, entry.Revision);
        Assert.Equal(NatsKVOperation.Put, entry.Operation);
        Assert.Equal(kv.Bucket, entry.Bucket);
        Assert.True(entry.Created > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task GetEntry_ForAKeyNeverWritten_ThrowsKeyNotFound()
    {
        await using var connection = fixture.Connect();
        var kv = await CreateBucketAsync(connection);

        await Assert.ThrowsAsync<NatsKVKeyNotFoundException>(() => kv.GetEntryAsync<string>("nope").AsTask());
    }

    [Fact]
    public async Task Create_WhenTheKeyExists_FailsAndKeepsTheOriginal()
    {
        await using var connection = fixture.Connect();
        var kv = await CreateBucketAsync(connection);
        await kv.CreateAsync("lock", "owner-a");

        await Assert.ThrowsAsync<NatsKVCreateException>(() => kv.CreateAsync("lock", "owner-b").AsTask());

        Assert.Equal("owner-a", (await kv.GetEntryAsync<string>("lock")).Value);
    }

    [Fact]
    public async Task Create_AfterDelete_Succeeds()
    {
        await using var connection = fixture.Connect();
        var kv = await CreateBucketAsync(connection);
        await kv.CreateAsync("lease", "first");
        await kv.DeleteAsync("lease");

        await kv.CreateAsync("lease", "second");

        Assert.Equal("second", (await kv.GetEntryAsync<string>("lease")).Value);
    }

    [Fact]
    public async Task Update_WithTheCurrentRevision_SucceedsAndWithAStaleOneFails()
    {
        await using var connection = fixture.Connect();
        var kv = await CreateBucketAsync(connection);
        var first = await kv.PutAsync("counter", "1");

        var second = await kv.UpdateAsync("counter", "2", first);
        await Assert.ThrowsAsync<NatsKVWrongLastRevisionException>(() => kv.UpdateAsync("counter", "stale", first).AsTask());

        var entry = await kv.GetEntryAsync<string>("counter");
        Assert.Equal("2", entry.Value);
        Assert.Equal(second, entry.Revision);
    }

    [Fact]
    public async Task Delete_MakesGetThrowKeyDeletedWithTheMarkerRevision()
    {
        await using var connection = fixture.Connect();
        var kv = await CreateBucketAsync(connection);
        var put = await kv.PutAsync("doomed", "x");

        await kv.DeleteAsync("doomed");

        var error = await Assert.ThrowsAsync<NatsKVKeyDeletedException>(() => kv.GetEntryAsync<string>("doomed").AsTask());
        Assert.True(error.Revision > put);
    }

    [Fact]
    public async Task Delete_WithAStaleExpectedRevision_Fails()
    {
        await using var connection = fixture.Connect();
        var kv = await CreateBucketAsync(connection);
        var first = await kv.PutAsync("guarded", "a");
        await kv.PutAsync("guarded", "b");

        await Assert.ThrowsAsync<NatsKVWrongLastRevisionException>(
            () => kv.DeleteAsync("guarded", new NatsKVDeleteOpts { Revision = first }).AsTask());

        Assert.Equal("b", (await kv.GetEntryAsync<string>("guarded")).Value);
    }

    [Fact]
    public async Task History_KeepsTheConfiguredNumberOfRevisions()
    {
        await using var connection = fixture.Connect();
        var kv = await CreateBucketAsync(connection, history: 3);
        var revisions = new List<ulong>();
        for (var i = 1; i <= 5; i++)
        {
            revisions.Add(await kv.PutAsync("config", $"v{i}"));
        }

        await kv.PutAsync("other", "noise");
        var history = new List<NatsKVEntry<string>>();
        await foreach (var entry in kv.HistoryAsync<string>("config", TestConnections.Timeout()))
        {
            history.Add(entry);
        }

        Assert.Equal(["v3", "v4", "v5"], history.Select(e => e.Value));
        Assert.Equal(revisions[2..], history.Select(e => e.Revision));
        Assert.Equal("v4", (await kv.GetEntryAsync<string>("config", revisions[3])).Value);
        await Assert.ThrowsAsync<NatsKVKeyNotFoundException>(() => kv.GetEntryAsync<string>("config", revisions[0]).AsTask());
    }

    [Fact]
    public async Task History_IncludesDeleteMarkers()
    {
        await using var connection = fixture.Connect();
        var kv = await CreateBucketAsync(connection, history: 5);
        await kv.PutAsync("k", "a");
        await kv.DeleteAsync("k");

        var operations = new List<NatsKVOperation>();
        await foreach (var entry in kv.HistoryAsync<string>("k", TestConnections.Timeout()))
        {
            operations.Add(entry.Operation);
        }

        Assert.Equal([NatsKVOperation.Put, NatsKVOperation.Del], operations);
    }

    [Fact]
    public async Task MaxAge_ExpiresValuesAfterTheirTtl()
    {
        await using var connection = fixture.Connect();
        var kv = await CreateBucketAsync(connection, maxAge: TimeSpan.FromSeconds(1));

        // Measured from before the put: the age the server expires at (1 s) is a lower bound of this
        // clock however slow the machine is; a clock started after the first read is not (a busy
        // machine can spend most of the second between the put and that read).
        var watch = Stopwatch.StartNew();
        await kv.PutAsync("ephemeral", "soon gone");
        Assert.Equal("soon gone", (await kv.GetEntryAsync<string>("ephemeral")).Value);

        var gone = false;
        while (!gone && watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            try
            {
                await kv.GetEntryAsync<string>("ephemeral");
                await Task.Delay(100);
            }
            catch (NatsKVKeyNotFoundException)
            {
                gone = true;
            }
        }

        Assert.True(gone, "the value did not expire within 10s");
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(500), $"expired after only {watch.Elapsed}");
    }

    [Fact]
    public async Task GetStore_OpensAnExistingBucketAndFailsForAMissingOne()
    {
        await using var connection = fixture.Connect();
        var created = await CreateBucketAsync(connection);
        var context = new NatsKVContext(new NatsJSContext(connection));
        await created.PutAsync("shared", "value");

        var opened = await context.GetStoreAsync(created.Bucket);

        Assert.Equal("value", (await opened.GetEntryAsync<string>("shared")).Value);
        await Assert.ThrowsAsync<NatsJSApiException>(() => context.GetStoreAsync(TestConnections.Unique("missing")).AsTask());
    }

    [Theory]
    [InlineData(".leading")]
    [InlineData("trailing.")]
    [InlineData("has space")]
    [InlineData("wild*")]
    [InlineData("")]
    public async Task InvalidKeys_AreRejectedBeforeAnythingIsSent(string key)
    {
        await using var connection = fixture.Connect();
        var kv = await CreateBucketAsync(connection);

        await Assert.ThrowsAsync<ArgumentException>(() => kv.PutAsync(key, "x").AsTask());
    }

    [Fact]
    public void Config_ReportsEveryInvalidValueAtOnce()
    {
        var errors = new NatsKVConfig("bad name") { History = 100, MaxAge = TimeSpan.FromSeconds(-1) }.Validate();

        Assert.Equal(3, errors.Count);
    }

    private static async Task<NatsKVStore> CreateBucketAsync(NatsConnection connection, int history = 1, TimeSpan maxAge = default)
    {
        var context = new NatsKVContext(new NatsJSContext(connection));
        return await context.CreateStoreAsync(new NatsKVConfig(TestConnections.Unique("kv"))
        {
            History = history,
            MaxAge = maxAge,
            Storage = NatsKVStorageType.File,
        });
    }
}

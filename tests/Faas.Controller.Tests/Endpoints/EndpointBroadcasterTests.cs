using Faas.Contracts.Endpoints;
using Faas.Controller.Endpoints;

namespace Faas.Controller.Tests.Endpoints;

public sealed class EndpointBroadcasterTests
{
    private static List<FunctionEndpoints> Table(params string[] urls) =>
    [
        new FunctionEndpoints
        {
            Name = "fn",
            Namespace = "openfaas-fn",
            Replicas = urls.Length,
            Endpoints = urls.Select((u, i) => new ReplicaEndpoint { Replica = "fn-" + i, Url = u }).ToList(),
        },
    ];

    [Fact]
    public async Task Publish_OfADifferentTable_BumpsTheVersion_AndWakesWaiters()
    {
        var broadcaster = new EndpointBroadcaster();
        var waiter = broadcaster.WaitForChangeAsync(broadcaster.Current.Version);
        Assert.False(waiter.IsCompleted);

        Assert.True(broadcaster.Publish(Table("http://127.0.0.1:1")));

        await waiter.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1, broadcaster.Current.Version);
        Assert.Equal("http://127.0.0.1:1", broadcaster.Current.Functions.Single().Endpoints.Single().Url);
    }

    [Fact]
    public void Publish_OfAnEqualTable_IsNotAChange()
    {
        var broadcaster = new EndpointBroadcaster();
        broadcaster.Publish(Table("http://127.0.0.1:1"));

        Assert.False(broadcaster.Publish(Table("http://127.0.0.1:1")));
        Assert.Equal(1, broadcaster.Current.Version);
        Assert.True(broadcaster.Publish(Table("http://127.0.0.1:1", "http://127.0.0.1:2")));
        Assert.Equal(2, broadcaster.Current.Version);
    }

    [Fact]
    public void WaitForChange_FromAnOlderVersion_CompletesAtOnce()
    {
        var broadcaster = new EndpointBroadcaster();
        broadcaster.Publish(Table("http://127.0.0.1:1"));

        Assert.True(broadcaster.WaitForChangeAsync(0).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task WaitForChange_IsCancellable()
    {
        var broadcaster = new EndpointBroadcaster();
        using var cts = new CancellationTokenSource();
        var waiter = broadcaster.WaitForChangeAsync(0, cts.Token);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter);
    }
}

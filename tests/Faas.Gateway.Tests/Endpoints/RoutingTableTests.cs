using Faas.Contracts.Endpoints;
using Faas.Gateway.Endpoints;

namespace Faas.Gateway.Tests.Endpoints;

public sealed class RoutingTableTests
{
    private static EndpointSnapshot Snapshot(long version, params FunctionEndpoints[] functions) => new() { Version = version, Functions = [.. functions] };

    private static FunctionEndpoints Function(string name, string @namespace, params (string Id, string Url)[] endpoints) => new()
    {
        Name = name,
        Namespace = @namespace,
        Replicas = endpoints.Length,
        Endpoints = [.. endpoints.Select(e => new ReplicaEndpoint { Replica = e.Id, Url = e.Url })],
    };

    [Fact]
    public void Build_KeysByNameAndNamespace_WithTrimmedDestinationPrefixes()
    {
        var table = RoutingTable.Build(Snapshot(3,
            Function("echo", "openfaas-fn", ("e1", "http://127.0.0.1:9001/")),
            Function("echo", "dev", ("d1", "http://127.0.0.1:9002")),
            Function("noname", "", ("n1", "http://127.0.0.1:9003"))), RoutingTable.Empty, "openfaas-fn");

        Assert.Equal(3, table.Version);
        Assert.True(table.TryGet(new FunctionKey("echo", "openfaas-fn"), out var echo));
        Assert.Equal("http://127.0.0.1:9001", Assert.Single(echo.Ready).DestinationPrefix);
        Assert.True(table.TryGet(new FunctionKey("echo", "dev"), out var dev));
        Assert.Equal("d1", Assert.Single(dev.Ready).Id);
        Assert.True(table.TryGet(new FunctionKey("noname", "openfaas-fn"), out _));
        Assert.False(table.TryGet(new FunctionKey("echo", "other"), out _));
    }

    [Fact]
    public void Build_KeepsReplicaObjectsAndInFlightCounts_AcrossSwaps()
    {
        var first = RoutingTable.Build(Snapshot(1, Function("f", "ns", ("a", "http://h:1"), ("b", "http://h:2"))), RoutingTable.Empty, "ns");
        Assert.True(first.TryGet(new FunctionKey("f", "ns"), out var before));
        var a = before.Ready.Single(r => r.Id == "a");
        a.Acquire();

        var second = RoutingTable.Build(Snapshot(2, Function("f", "ns", ("a", "http://h:1"), ("c", "http://h:3"))), first, "ns");
        Assert.True(second.TryGet(new FunctionKey("f", "ns"), out var after));

        Assert.Same(a, after.Ready.Single(r => r.Id == "a"));
        Assert.Equal(1, after.Ready.Single(r => r.Id == "a").InFlight);
        Assert.Equal(["a", "c"], after.Ready.Select(r => r.Id).Order());
    }

    [Fact]
    public void Build_SkipsUnusableUrls_AndReportsThem()
    {
        var invalid = new List<string>();
        var table = RoutingTable.Build(
            Snapshot(1, Function("f", "ns", ("a", "not a url"), ("b", "ftp://h/"), ("c", "http://h:3"))),
            RoutingTable.Empty, "ns", (_, url) => invalid.Add(url));

        Assert.True(table.TryGet(new FunctionKey("f", "ns"), out var route));
        Assert.Equal("c", Assert.Single(route.Ready).Id);
        Assert.Equal(["not a url", "ftp://h/"], invalid);
    }

    [Fact]
    public void Build_FunctionWithoutEndpoints_IsKnownButNotReady()
    {
        var table = RoutingTable.Build(Snapshot(1, Function("cold", "ns")), RoutingTable.Empty, "ns");

        Assert.True(table.TryGet(new FunctionKey("cold", "ns"), out var route));
        Assert.False(route.HasReady);
    }

    [Fact]
    public void Swap_ReplacesTheTable_AndCompletesTheChangeSignal()
    {
        var endpoints = new EndpointTable();
        var changed = endpoints.Changed;
        var table = RoutingTable.Build(Snapshot(7), RoutingTable.Empty, "ns");

        endpoints.Swap(table);

        Assert.True(changed.IsCompletedSuccessfully);
        Assert.Same(table, endpoints.Current);
        Assert.False(endpoints.Changed.IsCompleted);
    }

    [Fact]
    public async Task WaitForReady_WakesWhenASwapBringsAReadyReplica()
    {
        var endpoints = new EndpointTable();
        var key = new FunctionKey("f", "ns");
        var wait = endpoints.WaitForReadyAsync(key, TimeSpan.FromSeconds(10), TimeProvider.System).AsTask();

        endpoints.Swap(RoutingTable.Build(Snapshot(1, Function("f", "ns")), endpoints.Current, "ns"));
        Assert.False(wait.IsCompleted);
        endpoints.Swap(RoutingTable.Build(Snapshot(2, Function("f", "ns", ("a", "http://h:1"))), endpoints.Current, "ns"));

        var route = await wait.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("a", Assert.Single(route!.Ready).Id);
    }

    [Fact]
    public async Task WaitForReady_ReturnsNull_WhenTheTimeoutPasses()
    {
        var endpoints = new EndpointTable();

        var route = await endpoints.WaitForReadyAsync(new FunctionKey("f", "ns"), TimeSpan.FromMilliseconds(50), TimeProvider.System);

        Assert.Null(route);
    }
}

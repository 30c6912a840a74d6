using Faas.Gateway.Endpoints;
using Faas.Gateway.Tests.Fakes;
using Faas.Gateway.Tests.Invoke;

namespace Faas.Gateway.Tests.Endpoints;

/// <summary>The gateway's subscription to the controller's endpoint stream, against the fake controller.</summary>
public sealed class EndpointSubscriberTests
{
    private static readonly EndpointStreamSettings Fast = new()
    {
        SilenceTimeout = TimeSpan.FromSeconds(5),
        MinBackoff = TimeSpan.FromMilliseconds(20),
        MaxBackoff = TimeSpan.FromMilliseconds(50),
    };

    [Fact]
    public async Task Subscriber_AppliesEachChange_ToTheRoutingTable()
    {
        await using var replica = await FakeReplica.StartAsync("r1");
        await using var controller = await FakeController.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(controller.Url, stream: Fast);
        await gateway.WaitForTableAsync(t => t.Version == 1 && t.Routes.Count == 0);

        controller.SetFunctions(FakeController.Function("echo", replica));
        await gateway.WaitForReadyAsync("echo");
        controller.SetFunctions();
        await gateway.WaitForTableAsync(t => t.Routes.Count == 0);

        Assert.Equal(1, controller.EndpointConnections);
    }

    [Fact]
    public async Task Subscriber_ReconnectsWhenTheStreamEnds()
    {
        await using var replica = await FakeReplica.StartAsync("r1");
        await using var controller = await FakeController.StartAsync();
        controller.EndStreamAfterFirstLine = true;
        await using var gateway = await GatewayHost.StartAsync(controller.Url, stream: Fast);
        await gateway.WaitForTableAsync(t => t.Version >= 1);

        controller.SetFunctions(FakeController.Function("echo", replica));

        await gateway.WaitForReadyAsync("echo");
        Assert.True(controller.EndpointConnections >= 2);
    }

    [Fact]
    public async Task Subscriber_ReconnectsWhenTheStreamIsSilentForTooLong()
    {
        await using var controller = await FakeController.StartAsync();
        controller.Heartbeat = Timeout.InfiniteTimeSpan;
        await using var gateway = await GatewayHost.StartAsync(controller.Url, stream: Fast with { SilenceTimeout = TimeSpan.FromMilliseconds(300) });

        await InvokeTests.WaitUntilAsync(() => controller.EndpointConnections >= 3);
    }

    [Fact]
    public async Task Subscriber_HeartbeatsDoNotSwapTheTable()
    {
        await using var controller = await FakeController.StartAsync();
        controller.Heartbeat = TimeSpan.FromMilliseconds(30);
        await using var gateway = await GatewayHost.StartAsync(controller.Url, stream: Fast);
        await gateway.WaitForTableAsync(t => t.Version == 1);
        var table = gateway.Table.Current;

        await Task.Delay(200);

        Assert.Same(table, gateway.Table.Current);
        Assert.Equal(1, controller.EndpointConnections);
    }

    [Fact]
    public async Task Subscriber_ControllerDown_KeepsRetrying_ThenConnectsWhenItComesUp()
    {
        var port = LocalServer.ClosedPort();
        await using var gateway = await GatewayHost.StartAsync($"http://127.0.0.1:{port}", stream: Fast);
        await Task.Delay(200);
        Assert.Equal(-1, gateway.Table.Current.Version);

        await using var controller = await FakeController.StartAsync(port);
        controller.SetFunctions(FakeController.Function("late", "openfaas-fn"));

        await gateway.WaitForTableAsync(t => t.TryGet(new FunctionKey("late", "openfaas-fn"), out _));
    }
}

using Faas.Gateway.Auth;
using Faas.Gateway.Configuration;
using Faas.Gateway.Endpoints;
using Faas.Gateway.Invoke;
using Faas.Gateway.Provider;
using Faas.Gateway.Tests.Fakes;

namespace Faas.Gateway.Tests.Invoke;

public sealed class FunctionLookupTests
{
    /// <summary>A clock that only moves when told to.</summary>
    private sealed class ManualTime : TimeProvider
    {
        private long _ticks = 1;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }

    private static (FunctionLookup Lookup, UpstreamHttp Http) Create(string controllerUrl, TimeProvider time)
    {
        var options = new GatewayOptions { FunctionsProviderUrl = new Uri(controllerUrl) };
        var http = new UpstreamHttp();
        return (new FunctionLookup(new ProviderClient(options, http, new BasicAuthenticator(options)), time), http);
    }

    private static int Lookups(FakeController controller) =>
        controller.Calls.Count(c => c.PathAndQuery.StartsWith("/system/function/", StringComparison.Ordinal));

    [Fact]
    public async Task Lookup_NotFound_IsRememberedForOneSecond()
    {
        await using var controller = await FakeController.StartAsync();
        var time = new ManualTime();
        var (lookup, http) = Create(controller.Url, time);
        using var _ = http;
        var key = new FunctionKey("ghost", "openfaas-fn");

        Assert.Equal(LookupOutcome.NotFound, (await lookup.LookupAsync(key)).Value);
        Assert.Equal(LookupOutcome.NotFound, (await lookup.LookupAsync(key)).Value);
        Assert.Equal(1, Lookups(controller));

        time.Advance(TimeSpan.FromSeconds(1.1));
        controller.AddKnownFunction("ghost");
        Assert.Equal(LookupOutcome.Found, (await lookup.LookupAsync(key)).Value);
        Assert.Equal(2, Lookups(controller));
    }

    [Fact]
    public async Task Lookup_ConcurrentCallsForOneFunction_ShareOneControllerCall()
    {
        await using var controller = await FakeController.StartAsync();
        controller.AddKnownFunction("shared");
        controller.LookupDelay = TimeSpan.FromMilliseconds(300);
        var (lookup, http) = Create(controller.Url, TimeProvider.System);
        using var _ = http;
        var key = new FunctionKey("shared", "openfaas-fn");

        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => lookup.LookupAsync(key).AsTask()));

        Assert.All(results, r => Assert.Equal(LookupOutcome.Found, r.Value));
        Assert.Equal(1, Lookups(controller));
    }

    [Fact]
    public async Task Lookup_ControllerDown_IsUnreachable_WithTheUrlInTheError()
    {
        var closed = LocalServer.ClosedPortUrl();
        var (lookup, http) = Create(closed, TimeProvider.System);
        using var _ = http;

        var result = await lookup.LookupAsync(new FunctionKey("any", "openfaas-fn"));

        Assert.Equal(LookupOutcome.Unreachable, result.Value);
        Assert.StartsWith($"the controller at {closed} is unreachable", result.Error);
    }
}

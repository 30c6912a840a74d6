using Faas.Contracts.Naming;
using Faas.Gateway.Endpoints;

namespace Faas.Gateway.Tests.Endpoints;

public sealed class FunctionRouteTests
{
    private static Replica[] Replicas(params int[] inFlight) =>
        [.. inFlight.Select((load, i) =>
        {
            var replica = new Replica($"r{i}", $"http://127.0.0.1:{9000 + i}");
            for (var n = 0; n < load; n++)
            {
                replica.Acquire();
            }

            return replica;
        })];

    [Theory]
    [InlineData("echo", "echo", "openfaas-fn")]
    [InlineData("echo.dev", "echo", "dev")]
    [InlineData("my.fn.staging", "my.fn", "staging")]
    [InlineData(".hidden", ".hidden", "openfaas-fn")]
    [InlineData("trailing.", "trailing.", "openfaas-fn")]
    public void NameToken_SplitsOnTheLastDot_DefaultingTheNamespace(string token, string name, string @namespace)
    {
        Assert.Equal((name, @namespace), FunctionNames.Split(token, "openfaas-fn"));
    }

    [Theory]
    [InlineData(new[] { 3, 1, 2 }, 0u, "r1")]
    [InlineData(new[] { 3, 1, 2 }, 2u, "r1")]
    [InlineData(new[] { 0, 5, 0 }, 1u, "r2")]
    [InlineData(new[] { 2, 2, 2 }, 1u, "r1")]
    [InlineData(new[] { 4 }, 7u, "r0")]
    public void PickLeastInFlight_ChoosesFewestInFlight_TiesGoToTheFirstFromStart(int[] inFlight, uint start, string expected)
    {
        Assert.Equal(expected, FunctionRoute.PickLeastInFlight(Replicas(inFlight), start)!.Id);
    }

    [Fact]
    public void PickLeastInFlight_NoReadyReplica_ReturnsNull()
    {
        Assert.Null(new FunctionRoute(new FunctionKey("f", "ns"), 1, []).PickLeastInFlight());
    }

    [Fact]
    public void PickLeastInFlight_IdleReplicas_RotateRoundRobin()
    {
        var route = new FunctionRoute(new FunctionKey("f", "ns"), 3, Replicas(0, 0, 0));

        var picked = Enumerable.Range(0, 6).Select(_ => route.PickLeastInFlight()!.Id).ToArray();

        Assert.Equal(["r1", "r2", "r0", "r1", "r2", "r0"], picked);
    }

    [Fact]
    public void Replica_AcquireAndRelease_TrackInFlight()
    {
        var replica = new Replica("r", "http://x");
        replica.Acquire();
        replica.Acquire();
        replica.Release();

        Assert.Equal(1, replica.InFlight);
    }
}

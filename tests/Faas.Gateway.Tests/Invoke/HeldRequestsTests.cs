using Faas.Gateway.Configuration;
using Faas.Gateway.Endpoints;
using Faas.Gateway.Invoke;

namespace Faas.Gateway.Tests.Invoke;

public sealed class HeldRequestsTests
{
    private static readonly FunctionKey A = new("a", "openfaas-fn");
    private static readonly FunctionKey B = new("b", "openfaas-fn");

    private static HeldRequests Create(int limit) => new(new GatewayOptions
    {
        FunctionsProviderUrl = new Uri("http://127.0.0.1:1"),
        MaxHeldRequestsPerFunction = limit,
    });

    [Fact]
    public void TryEnter_UpToTheLimitPerFunction_ThenRefuses_UntilOneLeaves()
    {
        var held = Create(2);

        Assert.True(held.TryEnter(A));
        Assert.True(held.TryEnter(A));
        Assert.False(held.TryEnter(A));
        Assert.Equal(2, held.Count(A));

        Assert.True(held.TryEnter(B));

        held.Exit(A);
        Assert.Equal(1, held.Count(A));
        Assert.True(held.TryEnter(A));
    }

    [Fact]
    public async Task TryEnter_Racing_NeverAdmitsMoreThanTheLimit()
    {
        var held = Create(100);
        var admitted = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                if (held.TryEnter(A))
                {
                    Interlocked.Increment(ref admitted);
                }
            }
        })));

        Assert.Equal(100, admitted);
        Assert.Equal(100, held.Count(A));
    }
}

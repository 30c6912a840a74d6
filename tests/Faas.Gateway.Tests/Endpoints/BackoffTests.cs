using Faas.Gateway.Endpoints;

namespace Faas.Gateway.Tests.Endpoints;

public sealed class BackoffTests
{
    [Fact]
    public void Next_DoublesWithJitter_UpToTheMaximum_AndResets()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), new Random(42));

        var delays = Enumerable.Range(0, 8).Select(_ => backoff.Next().TotalMilliseconds).ToArray();

        Assert.InRange(delays[0], 80, 120);
        Assert.InRange(delays[1], 160, 240);
        Assert.InRange(delays[2], 320, 480);
        Assert.All(delays, d => Assert.InRange(d, 80, 1000));
        Assert.InRange(delays[7], 800, 1000);

        backoff.Reset();
        Assert.InRange(backoff.Next().TotalMilliseconds, 80, 120);
    }
}

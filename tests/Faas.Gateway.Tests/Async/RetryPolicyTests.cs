using Faas.Gateway.Async;

namespace Faas.Gateway.Tests.Async;

public sealed class RetryPolicyTests
{
    private static readonly RetryPolicy Policy = new(5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), new HashSet<int> { 500, 503 });

    [Theory]
    [InlineData(1, 1000, 1000)]
    [InlineData(2, 1000, 2000)]
    [InlineData(4, 1000, 8000)]
    [InlineData(9, 1000, 10000)]
    public void Delay_IsFullJitterBetweenInitialAndTheCappedExponential(int attempt, double minMs, double maxMs)
    {
        var random = new Random(42);
        for (var i = 0; i < 200; i++)
        {
            var delay = Policy.Delay(attempt, null, random).TotalMilliseconds;
            Assert.InRange(delay, minMs, maxMs);
        }
    }

    [Fact]
    public void Delay_ALongerRetryAfterWins_AShorterOneDoesNot()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), Policy.Delay(1, TimeSpan.FromSeconds(30), new Random(1)));
        Assert.InRange(Policy.Delay(1, TimeSpan.FromMilliseconds(10), new Random(1)), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void ParseRetryAfter_TakesSecondsOrAnHttpDate()
    {
        var now = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromSeconds(7), RetryPolicy.ParseRetryAfter("7", now));
        Assert.Equal(TimeSpan.FromSeconds(90), RetryPolicy.ParseRetryAfter("Thu, 01 Jan 2026 12:01:30 GMT", now));
        Assert.Equal(TimeSpan.Zero, RetryPolicy.ParseRetryAfter("Thu, 01 Jan 2026 11:00:00 GMT", now));
        Assert.Null(RetryPolicy.ParseRetryAfter("soon", now));
        Assert.Null(RetryPolicy.ParseRetryAfter(null, now));
    }

    [Theory]
    [InlineData("500", true)]
    [InlineData("408, 429,500", true)]
    [InlineData("", false)]
    [InlineData("99", false)]
    [InlineData("500,x", false)]
    public void TryParseCodes_AcceptsCommaSeparatedStatuses(string text, bool valid)
    {
        Assert.Equal(valid, RetryPolicy.TryParseCodes(text, out _));
    }

    [Fact]
    public void Annotations_OverrideValidValues_AndIgnoreInvalidOnes()
    {
        var applied = FunctionRetryPolicies.Apply(Policy, new Dictionary<string, string>
        {
            [FunctionRetryPolicies.AttemptsAnnotation] = "2",
            [FunctionRetryPolicies.CodesAnnotation] = "429",
            [FunctionRetryPolicies.MinWaitAnnotation] = "250ms",
            [FunctionRetryPolicies.MaxWaitAnnotation] = "bogus",
        });
        var invalid = FunctionRetryPolicies.Apply(Policy, new Dictionary<string, string>
        {
            [FunctionRetryPolicies.AttemptsAnnotation] = "-1",
            [FunctionRetryPolicies.CodesAnnotation] = "abc",
        });

        Assert.Equal(2, applied.MaxAttempts);
        Assert.Equal([429], applied.Codes);
        Assert.Equal(TimeSpan.FromMilliseconds(250), applied.InitialWait);
        Assert.Equal(TimeSpan.FromSeconds(10), applied.MaxWait);
        Assert.Equal(Policy.MaxAttempts, invalid.MaxAttempts);
        Assert.Same(Policy.Codes, invalid.Codes);
    }
}

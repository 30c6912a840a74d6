using Faas.Contracts.Time;

namespace Faas.Contracts.Tests.Time;

public class GoDurationTests
{
    [Theory]
    [InlineData("10", 10_000)]
    [InlineData("10s", 10_000)]
    [InlineData("1m5s", 65_000)]
    [InlineData("500ms", 500)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("2m30.5s", 150_500)]
    [InlineData("0", 0)]
    [InlineData(" 3s ", 3_000)]
    public void TryParse_ReadsSecondsAndGoDurations(string text, long expectedMs)
    {
        Assert.True(GoDuration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ten")]
    [InlineData("10x")]
    [InlineData("s")]
    [InlineData("1m5")]
    public void TryParse_RejectsGarbage(string text) => Assert.False(GoDuration.TryParse(text, out _));

    [Fact]
    public void Format_WritesGoStyle()
    {
        Assert.Equal("1m5s", GoDuration.Format(TimeSpan.FromSeconds(65)));
        Assert.Equal("500ms", GoDuration.Format(TimeSpan.FromMilliseconds(500)));
        Assert.Equal("10s", GoDuration.Format(TimeSpan.FromSeconds(10)));
    }
}

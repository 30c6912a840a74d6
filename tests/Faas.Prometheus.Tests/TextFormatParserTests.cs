namespace Faas.Prometheus.Tests;

public sealed class TextFormatParserTests
{
    [Fact]
    public void Parse_ReadsNamesLabelsValuesAndTimestamps()
    {
        var samples = TextFormatParser.Parse(
            """
            # HELP x help
            # TYPE x counter
            x 1

            y{a="1", b="two\\\"\n"} +Inf 1700000000000
            z{} NaN
              w{le="0.5",} -1.5e3
            """);

        Assert.Equal(["x", "y", "z", "w"], samples.Select(s => s.Name));
        Assert.Equal("two\\\"\n", samples[1].Labels["b"]);
        Assert.Equal(double.PositiveInfinity, samples[1].Value);
        Assert.Equal(1700000000000, samples[1].TimestampMs);
        Assert.True(double.IsNaN(samples[2].Value));
        Assert.Equal(-1500, samples[3].Value);
    }

    [Theory]
    [InlineData("x{a=\"1\"")]
    [InlineData("x{a=1} 2")]
    [InlineData("x abc")]
    [InlineData("x{a=\"\\t\"} 1")]
    [InlineData("x{a=\"1\",a=\"2\"} 1")]
    [InlineData("{a=\"1\"} 1")]
    public void Parse_RejectsMalformedLines(string line)
    {
        var e = Assert.Throws<FormatException>(() => TextFormatParser.Parse("ok 1\n" + line));
        Assert.StartsWith("Line 2", e.Message);
    }
}

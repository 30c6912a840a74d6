using Faas.Controller.Logs;

namespace Faas.Controller.Tests.Logs;

public sealed class LogLineParserTests
{
    private static readonly DateTimeOffset Previous = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2024-05-06T07:08:09.1234567Z hello world", "2024-05-06T07:08:09.1234567+00:00", "hello world")]
    [InlineData("2024-05-06T07:08:09Z x", "2024-05-06T07:08:09+00:00", "x")]
    [InlineData("2024-05-06T09:08:09+02:00 shifted", "2024-05-06T07:08:09+00:00", "shifted")]
    [InlineData("2024-05-06T07:08:09Z", "2024-05-06T07:08:09+00:00", "")]
    [InlineData("2024-05-06T07:08:09Z trailing cr\r", "2024-05-06T07:08:09+00:00", "trailing cr")]
    public void TimestampedLines_AreSplit(string line, string expectedTime, string expectedText)
    {
        var (timestamp, text) = LogLineParser.Parse(line, Previous);

        Assert.Equal(DateTimeOffset.Parse(expectedTime, System.Globalization.CultureInfo.InvariantCulture), timestamp);
        Assert.Equal(expectedText, text);
    }

    [Theory]
    [InlineData("Unhandled exception. System.IO.FileNotFoundException")]
    [InlineData("   at Foo.Bar()")]
    [InlineData("12 apples")]
    [InlineData("2024-13-45T99:99:99Z not a time")]
    [InlineData("")]
    public void LinesWithoutATimestamp_TakeThePreviousOne_AndKeepTheirText(string line)
    {
        var (timestamp, text) = LogLineParser.Parse(line, Previous);

        Assert.Equal(Previous, timestamp);
        Assert.Equal(line, text);
    }
}

using Faas.Cli.Logs;

namespace Faas.Cli.Tests.Logs;

public class GoTimeLayoutTests
{
    private static readonly DateTimeOffset Time = new(2024, 5, 6, 7, 8, 9, 123, TimeSpan.FromHours(2));

    [Theory]
    [InlineData(GoTimeLayout.Rfc3339, "2024-05-06T05:08:09Z")]
    [InlineData("2006-01-02 15:04:05.000", "2024-05-06 05:08:09.123")]
    [InlineData("Jan 02 15:04", "May 06 05:08")]
    [InlineData("15h04", "05h08")]
    public void Format_TranslatesGoLayouts(string layout, string expected) =>
        Assert.Equal(expected, GoTimeLayout.Format(Time, layout));
}

using Faas.Watchdog.Modes;

namespace Faas.Watchdog.Tests.Modes;

public class CgiEnvironmentTests
{
    [Theory]
    [InlineData("x-call-id", "X_Call_Id")]
    [InlineData("Content-Type", "Content_Type")]
    [InlineData("USER-AGENT", "User_Agent")]
    [InlineData("accept", "Accept")]
    public void HeaderNames_AreGoCanonicalWithUnderscores(string header, string expected) =>
        Assert.Equal(expected, CgiEnvironment.Canonical(header));
}

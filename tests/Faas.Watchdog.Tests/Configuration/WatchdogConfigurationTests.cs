using Faas.Watchdog.Configuration;

namespace Faas.Watchdog.Tests.Configuration;

public class WatchdogConfigurationTests
{
    [Fact]
    public void FromEnvironment_ReadsEnvironmentVariables_AndArgumentsWin()
    {
        var key = $"faas_watchdog_test_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(key, "from-env");
        try
        {
            var fromEnv = WatchdogConfiguration.FromEnvironment([]);
            var fromArgs = WatchdogConfiguration.FromEnvironment([$"--{key}=from-args", "--port=9000", "stray"]);

            Assert.Equal("from-env", fromEnv[key]);
            Assert.Equal("from-args", fromArgs[key]);
            Assert.Equal("9000", fromArgs["port"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(key, null);
        }
    }
}

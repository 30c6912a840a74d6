using System.Collections;

namespace Faas.Watchdog.Configuration;

/// <summary>Builds the configuration dictionary of a real replica: its environment plus <c>--key=value</c> arguments.</summary>
public static class WatchdogConfiguration
{
    public static IReadOnlyDictionary<string, string> FromEnvironment(IReadOnlyList<string> args)
    {
        var config = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value)
            {
                config[key] = value;
            }
        }

        foreach (var arg in args)
        {
            var separator = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && separator > 2)
            {
                config[arg[2..separator]] = arg[(separator + 1)..];
            }
        }

        return config;
    }
}

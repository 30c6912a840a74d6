using Faas.Watchdog.Configuration;
using Microsoft.Extensions.Logging.Console;

namespace Faas.Watchdog.Logging;

internal static class LoggingSetup
{
    /// <summary>One console line per log entry (the process backend reads the replica's output line by line).</summary>
    public static WebApplicationBuilder AddWatchdogLogging(this WebApplicationBuilder builder, WatchdogOptions options)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.ColorBehavior = options.LogTimestamps ? LoggerColorBehavior.Disabled : LoggerColorBehavior.Default;
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        return builder;
    }
}

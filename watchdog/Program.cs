using Faas.Watchdog;
using Faas.Watchdog.Configuration;
using Faas.Watchdog.Logging;

// 1. Configuration: the environment (set by the process backend) plus --key=value arguments.
var config = WatchdogConfiguration.FromEnvironment(args);

// 2. Timestamped output before anything writes, when the process backend asks for it.
if (WatchdogOptions.TryParse(config, out var options, out _) && options.LogTimestamps)
{
    TimestampedConsole.Install();
}

// 3. Validate, load the handler, serve until SIGTERM, drain. Start-up errors print and exit 1.
return await WatchdogApp.RunAsync(config);

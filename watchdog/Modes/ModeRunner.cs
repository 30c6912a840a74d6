using Faas.Watchdog.Configuration;
using Faas.Watchdog.Handlers;
using Microsoft.Extensions.Logging.Abstractions;

namespace Faas.Watchdog.Modes;

/// <summary>
/// The runner of a process mode (<c>http</c>, <c>streaming</c>): an invoker like a C# handler's, so
/// limits, timeouts and probes around it are the same in every mode.
/// </summary>
internal abstract class ModeRunner : HandlerInvoker, IAsyncDisposable
{
    protected ModeRunner(WatchdogOptions options) => Options = options;

    protected WatchdogOptions Options { get; }

    /// <summary>Set by <see cref="ModeSupervision"/> once the host has loggers.</summary>
    public ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>Completes when a long-lived function process exits; never for a per-call mode.</summary>
    public virtual Task Exited => Task.Delay(Timeout.Infinite);

    /// <summary>The runner of <paramref name="options"/>'s mode, wrapped as the replica's handler.</summary>
    public static LoadedHandler Create(WatchdogOptions options)
    {
        ModeRunner runner = options.Mode switch
        {
            WatchdogMode.Http => new HttpModeRunner(options),
            WatchdogMode.Streaming => new StreamingModeRunner(options),
            _ => throw new InvalidOperationException($"mode {options.Mode} has no process runner"),
        };
        return new LoadedHandler(runner, runner);
    }

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

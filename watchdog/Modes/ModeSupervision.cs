using Faas.Watchdog.Handlers;
using Faas.Watchdog.Serving;

namespace Faas.Watchdog.Modes;

/// <summary>
/// Ties a process mode's runner to the replica: gives it a logger, fails the replica when a
/// long-lived function process exits (health and ready then answer 503 and the watchdog exits 1,
/// so the backend replaces the replica), and stops the process after the drain.
/// </summary>
internal sealed class ModeSupervision : IHostedLifecycleService
{
    private readonly ModeRunner? _runner;
    private readonly ReplicaStatus _status;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger _logger;
    private volatile bool _stopping;

    public ModeSupervision(LoadedHandler handler, ReplicaStatus status, IHostApplicationLifetime lifetime, ILogger<ModeSupervision> logger)
    {
        _runner = handler.Invoker as ModeRunner;
        _status = status;
        _lifetime = lifetime;
        _logger = logger;
        if (_runner is not null)
        {
            _runner.Logger = logger;
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_runner is not null)
        {
            _ = WatchAsync(_runner);
        }

        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        // After the drain: in-flight calls no longer need the process.
        if (_runner is not null)
        {
            await _runner.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task WatchAsync(ModeRunner runner)
    {
        await runner.Exited.ConfigureAwait(false);
        if (_stopping)
        {
            return;
        }

        _logger.FunctionProcessExited((runner as HttpModeRunner)?.ExitCode ?? -1);
        if (!_status.TryMove(ReplicaState.Ready, ReplicaState.Failed))
        {
            _status.TryMove(ReplicaState.Starting, ReplicaState.Failed);
        }

        _lifetime.StopApplication();
    }
}

using System.Diagnostics;
using Faas.Contracts.Time;
using Faas.Function;
using Faas.Watchdog.Configuration;
using Faas.Watchdog.Handlers;
using Faas.Watchdog.Logging;

namespace Faas.Watchdog.Serving;

/// <summary>
/// Start-up and shutdown around the server: runs the handler's initializer once the server
/// listens (so <c>/_/ready</c> can answer 503 meanwhile), and drains on SIGTERM.
/// </summary>
/// <remarks>
/// Drain, as of-watchdog: (1) <see cref="StoppingAsync"/> runs before the server stops: turn
/// unready and remove the lock file, then keep accepting calls for <c>healthcheck_interval</c> so
/// routers notice; (2) the server stops accepting and waits for in-flight calls until the host's
/// shutdown timeout (<c>healthcheck_interval + write_timeout</c>), then aborts what is left.
/// </remarks>
internal sealed class ReplicaLifecycle : IHostedLifecycleService, IDisposable
{
    /// <summary>Service key of the <see cref="TimeProvider"/> that times the unready period (tests drive it by hand).</summary>
    public const string ClockKey = "Faas.Watchdog.Clock";

    private readonly WatchdogOptions _options;
    private readonly LoadedHandler _handler;
    private readonly FunctionEnvironment _environment;
    private readonly ReplicaStatus _status;
    private readonly ConcurrencyLimiter _limiter;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task _initialization = Task.CompletedTask;
    private int _drainStarted;

    public ReplicaLifecycle(
        WatchdogOptions options,
        LoadedHandler handler,
        FunctionEnvironment environment,
        ReplicaStatus status,
        ConcurrencyLimiter limiter,
        IHostApplicationLifetime lifetime,
        [FromKeyedServices(ClockKey)] TimeProvider clock,
        ILogger<ReplicaLifecycle> logger)
    {
        _options = options;
        _handler = handler;
        _environment = environment;
        _status = status;
        _limiter = limiter;
        _lifetime = lifetime;
        _clock = clock;
        _logger = logger;
    }

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        _logger.HandlerLoaded(_handler.Type.FullName, _handler.Invoker.Shape.ToString(), _options.FunctionName, _options.FunctionNamespace);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        // Off the host's start path: a slow (or synchronous) initializer must not delay listening.
        var stopping = _stopping.Token;
        _initialization = Task.Run(() => InitializeAsync(stopping), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        // (1) Unready first; the server keeps serving while routers catch up. Once: a second stop does not wait again.
        if (Interlocked.Exchange(ref _drainStarted, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _status.BeginDraining();
        RemoveLockFile();
        _logger.DrainStarted(GoDuration.Format(_options.HealthcheckInterval), _limiter.InFlight, GoDuration.Format(_options.WriteTimeout));
        try
        {
            await Task.Delay(_options.HealthcheckInterval, _clock, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown deadline passed; continue stopping.
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // A stop during a slow initializer cancels it; its outcome no longer matters.
        try
        {
            await _initialization.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The shutdown deadline passed while a cancelled initializer was still running.
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        // (2) has happened: the server stopped after in-flight calls finished or the deadline passed.
        _logger.Drained(_limiter.InFlight);
        return Task.CompletedTask;
    }

    public void Dispose() => _stopping.Dispose();

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_handler.Instance is IFunctionInitializer initializer)
            {
                var started = Stopwatch.GetTimestamp();
                await initializer.InitializeAsync(_environment, cancellationToken).ConfigureAwait(false);
                _logger.Initialized((long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            // The lock file goes first: whoever sees the replica ready may check for it at once.
            WriteLockFile();
            if (!_status.TryMove(ReplicaState.Starting, ReplicaState.Ready))
            {
                // Draining began while initializing; the drain path has already removed (or will
                // not find) the file, so take back the one just written.
                RemoveLockFile();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped while initializing.
        }
        catch (Exception e)
        {
            _logger.InitializationFailed(e);
            _status.TryMove(ReplicaState.Starting, ReplicaState.Failed);
            _lifetime.StopApplication();
        }
    }

    private void WriteLockFile()
    {
        if (_options.LockFilePath is not { } path)
        {
            return;
        }

        try
        {
            File.WriteAllText(path, string.Empty);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LockFileFailed(path, e);
        }
    }

    private void RemoveLockFile()
    {
        if (_options.LockFilePath is not { } path)
        {
            return;
        }

        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LockFileFailed(path, e);
        }
    }
}

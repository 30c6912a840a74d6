using Faas.Contracts.Functions;
using Faas.Controller.Backends;
using Faas.Controller.Configuration;
using Faas.Prometheus.Query;

namespace Faas.Controller.Autoscaling;

/// <summary>
/// Every <c>autoscaler_interval</c>: read each function's load, let <see cref="ScaleDecider"/>
/// decide, and scale through the backend when the count changes. Only decides; holding calls
/// and waking functions from zero is the gateway's job.
/// </summary>
/// <remarks>
/// 1. List the functions of the namespace.
/// 2. Parse each one's scaling labels; skip static (min == max) and invalid ones.
/// 3. Read the load; a failing source skips the whole tick (logged once per outage).
/// 4. Decide; scale when the decision differs from the desired count, then pause or resume
///    (the warm tier, where the backend implements <see cref="IWarmTier"/>), logging old -> new.
/// 5. Forget the state of functions that are gone.
/// </remarks>
public sealed partial class AutoscalerService(
    IFunctionBackend backend,
    ILoadSource loads,
    ControllerOptions controllerOptions,
    AutoscalerOptions options,
    TimeProvider time,
    ILogger<AutoscalerService> logger) : BackgroundService
{
    private readonly Dictionary<string, DeciderState> _states = new(StringComparer.Ordinal);
    private bool _sourceFailing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarted(logger, options.PrometheusUrl?.ToString() ?? "", options.Interval);
        using var timer = new PeriodicTimer(options.Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await TickAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogTickFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>One pass over every function (public for tests that drive ticks by hand).</summary>
    public async Task TickAsync(CancellationToken cancellationToken = default)
    {
        // 1.
        var ns = controllerOptions.FunctionNamespace;
        var functions = await backend.ListAsync(ns, cancellationToken).ConfigureAwait(false);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var function in functions)
        {
            var qualified = $"{function.Name}.{(string.IsNullOrEmpty(function.Namespace) ? ns : function.Namespace)}";
            seen.Add(qualified);

            // 2.
            var spec = ScalingSpec.TryParse(function.Labels, out _);
            if (spec is null || spec.IsStatic)
            {
                continue;
            }

            // 3.
            double? load;
            try
            {
                load = await loads.GetLoadAsync(spec.Type, qualified, cancellationToken).ConfigureAwait(false);
            }
            catch (PrometheusQueryException e)
            {
                if (!_sourceFailing)
                {
                    _sourceFailing = true;
                    LogSourceFailed(logger, e.Message);
                }

                return;
            }

            if (_sourceFailing)
            {
                _sourceFailing = false;
                LogSourceRecovered(logger);
            }

            if (load is null)
            {
                continue;
            }

            // 4.
            await DecideAsync(function, qualified, spec, load.Value, cancellationToken).ConfigureAwait(false);
        }

        // 5.
        foreach (var gone in _states.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            _states.Remove(gone);
        }
    }

    private async Task DecideAsync(FunctionStatus function, string qualified, ScalingSpec spec, double load, CancellationToken cancellationToken)
    {
        var ns = function.Namespace ?? controllerOptions.FunctionNamespace;
        var current = (int)Math.Min(function.Replicas, int.MaxValue);
        var ready = (int)Math.Min(function.AvailableReplicas, int.MaxValue);

        // The warm tier only where the backend can pause.
        var warm = backend as IWarmTier;
        var paused = warm?.IsPaused(function.Name, ns) ?? false;
        if (warm is null && spec.PauseDuration is not null)
        {
            spec = spec with { PauseDuration = null };
        }

        var state = _states.GetValueOrDefault(qualified) ?? DeciderState.Empty;
        var (desired, pause, next) = ScaleDecider.Decide(spec, new LoadSample(load), ready, current, paused, time.GetUtcNow(), state);
        _states[qualified] = next;
        if (desired != current)
        {
            var result = await backend.ScaleAsync(function.Name, ns, desired, cancellationToken).ConfigureAwait(false);
            if (result.Status == BackendStatus.Accepted)
            {
                LogScaled(logger, qualified, current, desired, load, spec.TypeName, next.Panicking);
            }
            else
            {
                LogScaleFailed(logger, qualified, current, desired, result.Message);
            }
        }

        if (warm is null || pause == paused || desired == 0)
        {
            return;
        }

        var changed = pause
            ? await warm.PauseAsync(function.Name, ns, cancellationToken).ConfigureAwait(false)
            : await warm.ResumeAsync(function.Name, ns, cancellationToken).ConfigureAwait(false);
        if (changed.Status == BackendStatus.Accepted)
        {
            LogPauseChanged(logger, qualified, paused ? "paused" : "running", pause ? "paused" : "running");
        }
        else
        {
            // Not paused this time (a call in flight, a roll-out): the next tick tries again.
            _states[qualified] = next with { LastPaused = paused };
            LogPauseDeferred(logger, qualified, changed.Message);
        }
    }

    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Autoscaler on: load from Prometheus at {Url} every {Interval}")]
    private static partial void LogStarted(ILogger logger, string url, TimeSpan interval);

    [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "Scaled {Function} {Old} -> {New} replicas (load {Load} {Type}, panic {Panic})")]
    private static partial void LogScaled(ILogger logger, string function, int old, int @new, double load, string type, bool panic);

    [LoggerMessage(EventId = 702, Level = LogLevel.Warning, Message = "Scaling {Function} {Old} -> {New} was refused: {Reason}")]
    private static partial void LogScaleFailed(ILogger logger, string function, int old, int @new, string reason);

    [LoggerMessage(EventId = 703, Level = LogLevel.Warning, Message = "Reading load failed; autoscaling paused until it answers: {Error}")]
    private static partial void LogSourceFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 704, Level = LogLevel.Information, Message = "Reading load works again; autoscaling resumed")]
    private static partial void LogSourceRecovered(ILogger logger);

    [LoggerMessage(EventId = 706, Level = LogLevel.Information, Message = "Warm tier of {Function}: {Old} -> {New}")]
    private static partial void LogPauseChanged(ILogger logger, string function, string old, string @new);

    [LoggerMessage(EventId = 707, Level = LogLevel.Debug, Message = "Warm tier of {Function} unchanged: {Reason}")]
    private static partial void LogPauseDeferred(ILogger logger, string function, string reason);

    [LoggerMessage(EventId = 705, Level = LogLevel.Error, Message = "Autoscaler pass failed")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}

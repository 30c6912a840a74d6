namespace Faas.Controller.Backends.Process;

/// <summary>
/// Runs the process backend: recovers the state file before the server accepts calls, reconciles
/// every function when a replica changes state or timed work is due, and stops all replicas on a
/// graceful shutdown.
/// </summary>
internal sealed class ProcessReconciler(ProcessBackend backend) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Hosted services start before Kestrel, so no API call sees a half-loaded state.
        await backend.RecoverAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await backend.StopAllAsync();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await backend.ReconcileAllAsync(stoppingToken);
                await backend.WaitForWorkAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}

namespace Faas.Controller.Backends.Docker;

/// <summary>Runs <see cref="DockerBackend.ReconcileAsync"/> every second and whenever kicked.</summary>
internal sealed class DockerReconciler(DockerBackend backend) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await backend.ReconcileAsync(stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            try
            {
                await backend.WaitForWorkAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

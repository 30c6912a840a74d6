namespace Faas.Gateway.Endpoints;

/// <summary>
/// Holds the current <see cref="RoutingTable"/> and signals every swap, so requests held for a
/// function without a ready replica wake up as soon as the controller reports one.
/// </summary>
public sealed class EndpointTable
{
    private RoutingTable _current = RoutingTable.Empty;
    private TaskCompletionSource _changed = NewSignal();

    public RoutingTable Current => Volatile.Read(ref _current);

    /// <summary>
    /// Completes on the next swap. Read it <em>before</em> inspecting <see cref="Current"/> so a
    /// swap between the two cannot be missed.
    /// </summary>
    public Task Changed => Volatile.Read(ref _changed).Task;

    public void Swap(RoutingTable table)
    {
        Volatile.Write(ref _current, table);
        Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();
    }

    /// <summary>
    /// Waits until <paramref name="key"/> has a ready replica, or <paramref name="timeout"/> passes
    /// (null), or <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async ValueTask<FunctionRoute?> WaitForReadyAsync(FunctionKey key, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken = default)
    {
        var start = time.GetTimestamp();
        while (true)
        {
            var changed = Changed;
            if (Current.TryGet(key, out var route) && route.HasReady)
            {
                return route;
            }

            var remaining = timeout - time.GetElapsedTime(start);
            if (remaining <= TimeSpan.Zero)
            {
                return null;
            }

            try
            {
                await changed.WaitAsync(remaining, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Loop once more: the table is checked again before giving up.
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

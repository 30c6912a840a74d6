namespace Faas.Watchdog.Tests.Support;

/// <summary>Lets a test see that a handler has started and decide when it may finish.</summary>
public sealed class Gate
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _entries;

    public int Entries => Volatile.Read(ref _entries);

    public Task Entered => _entered.Task;

    public void Release() => _released.TrySetResult();

    /// <summary>Called by the handler: signals entry, then waits for <see cref="Release"/> or cancellation.</summary>
    public async Task PassAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _entries);
        _entered.TrySetResult();
        await _released.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Waits for the release and ignores cancellation (a handler that does not cooperate).</summary>
    public async Task PassIgnoringCancellationAsync()
    {
        Interlocked.Increment(ref _entries);
        _entered.TrySetResult();
        await _released.Task;
    }
}

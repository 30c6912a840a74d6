using System.Collections.Concurrent;

namespace Faas.Watchdog.Tests.Support;

/// <summary>Timers that fire only when the test says so.</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly ConcurrentQueue<ManualTimer> _timers = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(callback, state);
        _timers.Enqueue(timer);
        return timer;
    }

    /// <summary>Waits until a timer has been created, then fires every pending timer.</summary>
    public async Task FireAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (_timers.IsEmpty)
        {
            await Task.Delay(10, deadline.Token);
        }

        while (_timers.TryDequeue(out var timer))
        {
            timer.Fire();
        }
    }

    private sealed class ManualTimer(TimerCallback callback, object? state) : ITimer
    {
        private int _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Fire()
        {
            if (Volatile.Read(ref _disposed) == 0)
            {
                callback(state);
            }
        }

        public void Dispose() => Interlocked.Exchange(ref _disposed, 1);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

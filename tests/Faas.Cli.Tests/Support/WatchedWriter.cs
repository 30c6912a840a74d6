using System.Text;

namespace Faas.Cli.Tests.Support;

/// <summary>A thread-safe capture whose text a test can wait for while the command still runs.</summary>
public sealed class WatchedWriter : StringWriter
{
    private readonly object _gate = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _waiters = [];

    public override void Write(char value)
    {
        lock (_gate)
        {
            base.Write(value);
            Check();
        }
    }

    public override void Write(string? value)
    {
        lock (_gate)
        {
            base.Write(value);
            Check();
        }
    }

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    public override void WriteLine(string? value)
    {
        lock (_gate)
        {
            base.Write(value);
            base.Write(NewLine);
            Check();
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return base.ToString();
        }
    }

    public Task WaitForAsync(string text)
    {
        lock (_gate)
        {
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((text, seen));
            Check();
            return seen.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    private void Check()
    {
        var text = GetStringBuilder().ToString();
        foreach (var waiter in _waiters.Where(w => text.Contains(w.Text, StringComparison.Ordinal)).ToList())
        {
            waiter.Seen.TrySetResult();
            _waiters.Remove(waiter);
        }
    }
}

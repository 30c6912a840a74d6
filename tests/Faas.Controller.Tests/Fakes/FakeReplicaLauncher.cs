using System.Collections.Concurrent;
using Faas.Controller.Backends.Process;

namespace Faas.Controller.Tests.Fakes;

/// <summary>
/// Stands in for the operating system: "processes" live as long as the launcher, so a second
/// controller sharing it can adopt them, as after a crash of the first.
/// </summary>
internal sealed class FakeReplicaLauncher : IReplicaLauncher
{
    private readonly ConcurrentQueue<FakeReplicaProcess> _launched = new();
    private int _nextPid = 40000;

    /// <summary>Whether new replicas answer their readiness probe at once.</summary>
    public bool ReadyOnStart { get; set; } = true;

    /// <summary>When set and true for a spec, <see cref="Launch"/> throws.</summary>
    public Func<ReplicaLaunchSpec, bool>? FailLaunch { get; set; }

    public IReadOnlyList<FakeReplicaProcess> Launched => _launched.ToList();

    public IReadOnlyList<FakeReplicaProcess> Running => _launched.Where(p => !p.HasExited).ToList();

    public IReplicaProcess Launch(ReplicaLaunchSpec spec)
    {
        if (FailLaunch?.Invoke(spec) == true)
        {
            throw new InvalidOperationException("launch failed (fake)");
        }

        var process = new FakeReplicaProcess(spec, Interlocked.Increment(ref _nextPid)) { Ready = ReadyOnStart };
        _launched.Enqueue(process);
        return process;
    }

    public IReplicaProcess? TryAdopt(int pid, string replicaId)
    {
        var process = _launched.FirstOrDefault(p => p.Pid == pid && p.Spec.ReplicaId == replicaId && !p.HasExited);
        if (process is not null)
        {
            process.Adopted++;
        }

        return process;
    }

    public FakeReplicaProcess? FindByUrl(string url) =>
        _launched.FirstOrDefault(p => url == $"http://127.0.0.1:{p.Spec.Port}" && !p.HasExited);
}

internal sealed class FakeReplicaProcess(ReplicaLaunchSpec spec, int pid) : IReplicaProcess
{
    private readonly TaskCompletionSource _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ReplicaLaunchSpec Spec { get; } = spec;

    public int Pid { get; } = pid;

    public volatile bool Ready;

    /// <summary>Answers 429 to the probe (alive but at max_inflight).</summary>
    public volatile bool Busy;

    public int Adopted { get; set; }

    public TimeSpan? StoppedWithDrain { get; private set; }

    public DateTimeOffset LaunchedAt { get; } = DateTimeOffset.UtcNow;

    public bool HasExited => _exit.Task.IsCompleted;

    /// <summary>Stopped with SIGSTOP: answers no probe.</summary>
    public volatile bool Paused;

    /// <summary>Calls the replica reports in flight (<c>X-Inflight</c>); null = it does not say.</summary>
    public int? InFlight { get; set; } = 0;

    public bool IsPaused => Paused;

    public bool Pause()
    {
        Paused = !HasExited;
        return Paused;
    }

    public bool Resume()
    {
        Paused = false;
        return !HasExited;
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken = default) => _exit.Task.WaitAsync(cancellationToken);

    public Task StopAsync(TimeSpan drainTimeout, CancellationToken cancellationToken = default)
    {
        StoppedWithDrain ??= drainTimeout;
        _exit.TrySetResult();
        return Task.CompletedTask;
    }

    /// <summary>The process dies on its own.</summary>
    public void Crash() => _exit.TrySetResult();

    public void Dispose()
    {
    }
}

internal sealed class FakeReplicaProbe(FakeReplicaLauncher launcher) : IReplicaProbe
{
    public Task<ProbeResult> ProbeAsync(string baseUrl, CancellationToken cancellationToken = default)
    {
        var process = launcher.FindByUrl(baseUrl);
        var result = process switch
        {
            null => ProbeResult.NotReady,
            { Paused: true } => ProbeResult.NotReady,
            { Busy: true } => ProbeResult.Busy,
            { Ready: true } => ProbeResult.Ready,
            _ => ProbeResult.NotReady,
        };
        return Task.FromResult(result);
    }

    public Task<int?> InFlightAsync(string baseUrl, CancellationToken cancellationToken = default) =>
        Task.FromResult(launcher.FindByUrl(baseUrl) is { Paused: false } process ? process.InFlight : null);
}

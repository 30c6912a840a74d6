using System.Collections.Concurrent;

namespace Faas.Controller.Backends.Process;

/// <summary>
/// Readiness pushed by the watchdog instead of only polled: every replica gets
/// <c>lock_file_path=&lt;state_dir&gt;/ready/&lt;replica id&gt;</c>, which the watchdog writes the moment
/// its handler is ready; an inotify watch on that folder wakes the replica's monitor at once, and the
/// monitor probes. The 50 ms poll stays as the fallback (no inotify, a missed event, an adopted replica).
/// </summary>
internal sealed partial class ReadyNotifier(string directory, ILogger logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new(StringComparer.Ordinal);
    private FileSystemWatcher? _watcher;

    public string FileFor(string replicaId) => Path.Combine(directory, replicaId);

    public void Start()
    {
        try
        {
            Directory.CreateDirectory(directory);
            var watcher = new FileSystemWatcher(directory) { NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite };
            watcher.Created += OnChanged;
            watcher.Changed += OnChanged;
            watcher.EnableRaisingEvents = true;
            _watcher = watcher;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException or ArgumentException)
        {
            LogUnavailable(logger, directory, e.Message);
        }
    }

    /// <summary>Completes when the replica's ready file is written after this call (or was since the last <see cref="Reset"/>).</summary>
    public Task WhenSignaled(string replicaId) =>
        _waiting.GetOrAdd(replicaId, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Consumes a signal, so that the next wait waits for a new write.</summary>
    public void Reset(string replicaId)
    {
        if (_waiting.TryGetValue(replicaId, out var signal) && signal.Task.IsCompleted)
        {
            _waiting.TryRemove(new KeyValuePair<string, TaskCompletionSource>(replicaId, signal));
        }
    }

    /// <summary>The replica is gone: drop its signal and its file.</summary>
    public void Forget(string replicaId)
    {
        _waiting.TryRemove(replicaId, out _);
        try
        {
            File.Delete(FileFor(replicaId));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next start-up; harmless.
        }
    }

    public void Dispose() => _watcher?.Dispose();

    private void OnChanged(object sender, FileSystemEventArgs e)
    {
        if (e.Name is { } name && _waiting.TryGetValue(name, out var signal))
        {
            signal.TrySetResult();
        }
    }

    [LoggerMessage(EventId = 115, Level = LogLevel.Warning, Message = "Cannot watch {Directory} for replicas reporting ready ({Reason}); readiness is polled only")]
    private static partial void LogUnavailable(ILogger logger, string directory, string reason);
}

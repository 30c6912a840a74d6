namespace Faas.Kubernetes;

/// <summary>
/// A token read from a file that the kubelet rewrites as it rotates the projected service-account token
/// (about hourly, by swapping a symlink). Re-read when the file's write time or size changes, at least
/// every <see cref="MaxAge"/>, and after a 401.
/// </summary>
public sealed class FileTokenSource : ITokenSource
{
    /// <summary>Re-read at least this often even when the file looks unchanged (client-go uses one minute).</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Snapshot? _current;

    public FileTokenSource(string path, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = path;
        _time = timeProvider ?? TimeProvider.System;
    }

    public string Path => _path;

    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken = default)
    {
        var info = new FileInfo(_path);
        var now = _time.GetUtcNow();
        var current = _current;
        if (current is not null && info.Exists && info.LastWriteTimeUtc == current.WriteTime && info.Length == current.Length
            && now - current.ReadAt < MaxAge)
        {
            return current.Token;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            info.Refresh();
            if (!info.Exists)
            {
                throw new KubernetesUnauthorizedException($"service-account token file {_path} does not exist");
            }

            var token = (await File.ReadAllTextAsync(_path, cancellationToken).ConfigureAwait(false)).Trim();
            _current = new Snapshot(token, info.LastWriteTimeUtc, info.Length, now);
            return token;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Invalidate() => _current = null;

    private sealed record Snapshot(string Token, DateTime WriteTime, long Length, DateTimeOffset ReadAt);
}

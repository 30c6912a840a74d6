using System.Runtime.CompilerServices;
using System.Text;
using Faas.Contracts.Logs;

namespace Faas.Controller.Logs;

/// <summary>
/// Reads a function's replica log files (<c>&lt;replica&gt;.log</c> in one folder) as one stream of
/// <see cref="LogMessage"/>s in time order, then optionally follows them.
/// </summary>
public static class LogFileReader
{
    /// <summary>
    /// 1. reads every matching file, keeping at most <see cref="LogQuery.Tail"/> lines per file;
    /// 2. merges them by timestamp and yields the last <see cref="LogQuery.Tail"/>;
    /// 3. with <see cref="LogQuery.Follow"/>, polls for new lines and new files until cancelled,
    ///    or until the folder or the function (<paramref name="stillExists"/>) is gone.
    /// </summary>
    public static async IAsyncEnumerable<LogMessage> ReadAsync(
        string directory,
        LogQuery query,
        TimeSpan pollInterval,
        Func<bool> stillExists,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var cursors = new Dictionary<string, LogFileCursor>(StringComparer.Ordinal);

        // 1. + 2.
        Discover(directory, query.Instance, cursors);
        var tail = query.Tail > 0 ? query.Tail : int.MaxValue;
        var initial = new List<LogMessage>();
        foreach (var cursor in cursors.Values)
        {
            var lines = new Queue<LogMessage>();
            foreach (var message in cursor.ReadMessages(query, includePartialLine: !query.Follow))
            {
                lines.Enqueue(message);
                if (lines.Count > tail)
                {
                    lines.Dequeue();
                }
            }

            initial.AddRange(lines);
        }

        var ordered = initial.OrderBy(m => m.Timestamp).ToList();
        foreach (var message in ordered.Skip(Math.Max(0, ordered.Count - tail)))
        {
            yield return message;
        }

        if (!query.Follow)
        {
            yield break;
        }

        // 3.
        while (true)
        {
            await Task.Delay(pollInterval, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (cancellationToken.IsCancellationRequested || !Directory.Exists(directory) || !stillExists())
            {
                yield break;
            }

            Discover(directory, query.Instance, cursors);
            var batch = cursors.Values.SelectMany(c => c.ReadMessages(query, includePartialLine: false)).OrderBy(m => m.Timestamp).ToList();
            foreach (var message in batch)
            {
                yield return message;
            }
        }
    }

    private static void Discover(string directory, string? instance, Dictionary<string, LogFileCursor> cursors)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(directory, "*.log"))
        {
            var replica = Path.GetFileNameWithoutExtension(file);
            if ((instance is null || instance == replica) && !cursors.ContainsKey(replica))
            {
                cursors[replica] = new LogFileCursor(file, replica);
            }
        }
    }

    /// <summary>Position in one log file; a trailing partial line is kept until its newline arrives.</summary>
    private sealed class LogFileCursor(string path, string replica)
    {
        private const int ChunkSize = 64 * 1024;
        private readonly List<byte> _pending = [];
        private long _offset;
        private DateTimeOffset _lastTimestamp = SafeCreationTime(path);

        public IEnumerable<LogMessage> ReadMessages(LogQuery query, bool includePartialLine)
        {
            foreach (var line in ReadLines(includePartialLine))
            {
                var (timestamp, text) = LogLineParser.Parse(line, _lastTimestamp);
                _lastTimestamp = timestamp;
                if (query.Since is { } since && timestamp < since)
                {
                    continue;
                }

                yield return new LogMessage
                {
                    Name = query.Name,
                    Namespace = query.Namespace,
                    Instance = replica,
                    Timestamp = timestamp,
                    Text = text,
                };
            }
        }

        private IEnumerable<string> ReadLines(bool includePartialLine)
        {
            FileStream stream;
            try
            {
                stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                yield break;
            }

            using (stream)
            {
                if (stream.Length < _offset)
                {
                    // Truncated or replaced: start again.
                    _offset = 0;
                    _pending.Clear();
                }

                stream.Seek(_offset, SeekOrigin.Begin);
                var buffer = new byte[ChunkSize];
                int read;
                while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    _offset += read;
                    var start = 0;
                    for (var i = 0; i < read; i++)
                    {
                        if (buffer[i] != (byte)'\n')
                        {
                            continue;
                        }

                        _pending.AddRange(buffer.AsSpan(start, i - start));
                        yield return Encoding.UTF8.GetString(_pending.ToArray());
                        _pending.Clear();
                        start = i + 1;
                    }

                    _pending.AddRange(buffer.AsSpan(start, read - start));
                }
            }

            if (includePartialLine && _pending.Count > 0)
            {
                yield return Encoding.UTF8.GetString(_pending.ToArray());
                _pending.Clear();
            }
        }

        private static DateTimeOffset SafeCreationTime(string path)
        {
            try
            {
                return new DateTimeOffset(File.GetCreationTimeUtc(path), TimeSpan.Zero);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return DateTimeOffset.UnixEpoch;
            }
        }
    }
}

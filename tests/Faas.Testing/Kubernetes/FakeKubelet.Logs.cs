using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;

namespace Faas.Testing.Kubernetes;

/// <summary>One line of a container's log; <paramref name="ExtraNanoseconds"/> (0-99) below .NET's 100 ns tick, as runtimes stamp in ns.</summary>
public sealed record KubeletLogLine(DateTimeOffset Time, string Text, int ExtraNanoseconds = 0);

/// <summary>A <c>GET /containerLogs/...</c> the fake kubelet received, with its query and the caller's certificate subject.</summary>
public sealed record KubeletLogRequest(string Namespace, string Pod, string Container, IReadOnlyDictionary<string, string> Query, string? ClientCertificateSubject);

public sealed partial class FakeKubelet
{
    private readonly Lock _logsLock = new();
    private readonly Dictionary<(string Namespace, string Pod, string Container), ContainerLog> _logs = [];
    private readonly List<KubeletLogRequest> _requests = [];
    private int _openFollowStreams;

    /// <summary>Every log request so far, in arrival order.</summary>
    public IReadOnlyList<KubeletLogRequest> LogRequests
    {
        get
        {
            lock (_logsLock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Log streams with <c>follow=true</c> still open (the API server closes its side when its caller goes away).</summary>
    public int OpenFollowStreams => Volatile.Read(ref _openFollowStreams);

    /// <summary>Gives the container lines it logged before (served to later requests, filtered by tail and since).</summary>
    public void AddLogLines(string @namespace, string pod, string container, params KubeletLogLine[] lines)
    {
        lock (_logsLock)
        {
            Log(@namespace, pod, container).Lines.AddRange(lines);
        }
    }

    /// <summary>The container writes <paramref name="text"/> now: stored and sent to every open follow stream of it.</summary>
    public void WriteLogLine(string @namespace, string pod, string container, string text)
    {
        var line = new KubeletLogLine(DateTimeOffset.UtcNow, text);
        lock (_logsLock)
        {
            var log = Log(@namespace, pod, container);
            log.Lines.Add(line);
            foreach (var follower in log.Followers)
            {
                follower.Writer.TryWrite(line);
            }
        }
    }

    /// <summary>Waits (bounded by <paramref name="cancellationToken"/>) for a log request matching <paramref name="match"/>.</summary>
    public async Task<KubeletLogRequest> WaitForLogRequestAsync(Func<KubeletLogRequest, bool> match, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (LogRequests.FirstOrDefault(match) is { } request)
            {
                return request;
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>The kubelet's timestamp format (Go's RFC3339Nano: nanoseconds, trailing zeros dropped).</summary>
    public static string FormatTimestamp(DateTimeOffset time, int extraNanoseconds = 0)
    {
        var utc = time.UtcDateTime;
        var nanoseconds = utc.Ticks % TimeSpan.TicksPerSecond * 100 + extraNanoseconds;
        var fraction = nanoseconds == 0 ? "" : "." + nanoseconds.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + fraction + "Z";
    }

    private ContainerLog Log(string @namespace, string pod, string container)
    {
        if (!_logs.TryGetValue((@namespace, pod, container), out var log))
        {
            log = new ContainerLog();
            _logs[(@namespace, pod, container)] = log;
        }

        return log;
    }

    /// <summary>
    /// The kubelet's containerLogs handler: tailLines picks the last N lines, then sinceSeconds drops older
    /// ones (the order the kubelet applies them); timestamps prefixes each line; follow keeps the response
    /// open and writes new lines as the container logs them, until the caller goes away.
    /// </summary>
    private async Task ServeLogsAsync(HttpContext context, string @namespace, string pod, string container)
    {
        var query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        var follow = query.GetValueOrDefault("follow") == "true";
        var timestamps = query.GetValueOrDefault("timestamps") == "true";
        var tail = long.TryParse(query.GetValueOrDefault("tailLines"), CultureInfo.InvariantCulture, out var t) ? t : (long?)null;
        DateTimeOffset? since = long.TryParse(query.GetValueOrDefault("sinceSeconds"), CultureInfo.InvariantCulture, out var s)
            ? DateTimeOffset.UtcNow.AddSeconds(-s) : null;

        List<KubeletLogLine>? backlog = null;
        Channel<KubeletLogLine>? follower = null;
        ContainerLog? log;
        lock (_logsLock)
        {
            // Subscribe before the request is visible, so a line a test writes after seeing it is delivered.
            if (_logs.TryGetValue((@namespace, pod, container), out log))
            {
                backlog = [.. log.Lines];
                if (follow)
                {
                    follower = Channel.CreateUnbounded<KubeletLogLine>();
                    log.Followers.Add(follower);
                }
            }

            _requests.Add(new KubeletLogRequest(@namespace, pod, container, query, context.Connection.ClientCertificate?.Subject));
        }

        if (backlog is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync($"container \"{container}\" in pod \"{pod}\" is not known to this kubelet", context.RequestAborted);
            return;
        }

        var cancellationToken = context.RequestAborted;
        if (follow)
        {
            Interlocked.Increment(ref _openFollowStreams);
        }

        try
        {
            context.Response.ContentType = "text/plain";
            var selected = tail is { } n ? backlog.Skip(Math.Max(0, backlog.Count - (int)Math.Min(n, int.MaxValue))) : backlog;
            foreach (var line in selected.Where(l => since is null || l.Time >= since))
            {
                await WriteAsync(context.Response, line, timestamps, cancellationToken);
            }

            await context.Response.Body.FlushAsync(cancellationToken);
            if (follower is not null)
            {
                await foreach (var line in follower.Reader.ReadAllAsync(cancellationToken))
                {
                    await WriteAsync(context.Response, line, timestamps, cancellationToken);
                    await context.Response.Body.FlushAsync(cancellationToken);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The API server closed the stream: its caller went away.
        }
        finally
        {
            if (follower is not null)
            {
                lock (_logsLock)
                {
                    log!.Followers.Remove(follower);
                }

                Interlocked.Decrement(ref _openFollowStreams);
            }
        }
    }

    private static Task WriteAsync(HttpResponse response, KubeletLogLine line, bool timestamps, CancellationToken cancellationToken)
    {
        var text = (timestamps ? FormatTimestamp(line.Time, line.ExtraNanoseconds) + " " : "") + line.Text + "\n";
        return response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).AsTask();
    }

    private void CloseFollowers()
    {
        lock (_logsLock)
        {
            foreach (var follower in _logs.Values.SelectMany(l => l.Followers))
            {
                follower.Writer.TryComplete();
            }
        }
    }

    private sealed class ContainerLog
    {
        public List<KubeletLogLine> Lines { get; } = [];

        public List<Channel<KubeletLogLine>> Followers { get; } = [];
    }
}

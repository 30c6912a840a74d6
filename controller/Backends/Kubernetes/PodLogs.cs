using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Faas.Contracts.Logs;
using Faas.Controller.Logs;
using Faas.Kubernetes;

namespace Faas.Controller.Backends.Kubernetes;

/// <summary>
/// A function's logs from its pods' logs (the kubelet serves them through the API server): pods without
/// an IP that are not running yet are skipped, tail and since are passed on per pod as tailLines and
/// sinceSeconds, lines carry the kubelet's timestamps; without follow the pods' lines are merged in time
/// order and cut to the last <see cref="LogQuery.Tail"/> over all pods (as the process backend does), with
/// follow they are interleaved as they arrive. Tested against the real API server with a fake kubelet
/// (tests/Faas.Testing/Kubernetes/FakeKubelet).
/// </summary>
internal static class PodLogs
{
    public static async IAsyncEnumerable<LogMessage> ReadAsync(KubernetesClient client, LogQuery query, TimeProvider time, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pods = await KubernetesErrors.ReadAsync(
            () => client.Pods.ListAsync(query.Namespace, new ListOptions { LabelSelector = FunctionObjects.Selector(query.Name) }, cancellationToken),
            $"reading logs of '{query.Name}'");
        var names = pods.Items
            .Where(p => p.Status?.PodIP is not null || p.Status?.Phase is "Running" or "Succeeded" or "Failed")
            .Select(p => p.Metadata.Name).OfType<string>()
            .Where(n => query.Instance is null || n == query.Instance)
            .ToList();
        var options = new PodLogOptions
        {
            Container = FunctionObjects.ContainerName,
            Follow = query.Follow,
            TailLines = query.Tail > 0 ? query.Tail : null,
            SinceSeconds = query.Since is { } since ? Math.Max(1, (long)Math.Ceiling((time.GetUtcNow() - since).TotalSeconds)) : null,
            Timestamps = true,
        };

        var lines = Channel.CreateUnbounded<LogMessage>();
        var readers = names.Select(pod => ReadPodAsync(client, query, pod, options, lines.Writer, cancellationToken)).ToList();
        _ = Task.WhenAll(readers).ContinueWith(_ => lines.Writer.TryComplete(), TaskScheduler.Default);
        if (query.Follow)
        {
            await foreach (var line in lines.Reader.ReadAllAsync(cancellationToken))
            {
                yield return line;
            }

            yield break;
        }

        var all = new List<LogMessage>();
        await foreach (var line in lines.Reader.ReadAllAsync(cancellationToken))
        {
            all.Add(line);
        }

        // Each pod gave its last Tail lines; the query asks for the last Tail over all of them.
        var ordered = all.OrderBy(l => l.Timestamp).ToList();
        var skip = query.Tail > 0 ? Math.Max(0, ordered.Count - query.Tail) : 0;
        foreach (var line in ordered.Skip(skip))
        {
            yield return line;
        }
    }

    private static async Task ReadPodAsync(KubernetesClient client, LogQuery query, string pod, PodLogOptions options, ChannelWriter<LogMessage> writer, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await client.Pods.ReadLogsAsync(query.Namespace, pod, options, cancellationToken);
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                // "<RFC 3339 timestamp> <text>" because Timestamps is on.
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                var stamp = space > 0 && DateTimeOffset.TryParse(line[..space], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : (DateTimeOffset?)null;
                await writer.WriteAsync(new LogMessage
                {
                    Name = query.Name,
                    Namespace = query.Namespace,
                    Instance = pod,
                    Timestamp = stamp ?? DateTimeOffset.UtcNow,
                    Text = stamp is null ? line : line[(space + 1)..],
                }, cancellationToken);
            }
        }
        catch (Exception e) when (e is KubernetesException or IOException or OperationCanceledException)
        {
            // A pod that is gone or not yet started has no log to give; the others still do.
        }
    }
}

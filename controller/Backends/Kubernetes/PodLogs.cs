using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
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
/// follow they are interleaved as they arrive and pods that start later join the stream (a pod watch).
/// Tested against the real API server with a fake kubelet
/// (tests/Faas.Testing/Kubernetes/FakeKubelet).
/// </summary>
internal static class PodLogs
{
    public static async IAsyncEnumerable<LogMessage> ReadAsync(KubernetesClient client, LogQuery query, TimeProvider time, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pods = await KubernetesErrors.ReadAsync(
            () => client.Pods.ListAsync(query.Namespace, new ListOptions { LabelSelector = FunctionObjects.Selector(query.Name) }, cancellationToken),
            $"reading logs of '{query.Name}'");
        var options = new PodLogOptions
        {
            Container = FunctionObjects.ContainerName,
            Follow = query.Follow,
            TailLines = query.Tail > 0 ? query.Tail : null,
            SinceSeconds = query.Since is { } since ? Math.Max(1, (long)Math.Ceiling((time.GetUtcNow() - since).TotalSeconds)) : null,
            Timestamps = true,
        };

        var lines = Channel.CreateUnbounded<LogMessage>();
        if (query.Follow)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var following = FollowAsync(client, query, pods, options, lines.Writer, stop.Token);
            try
            {
                await foreach (var line in lines.Reader.ReadAllAsync(cancellationToken))
                {
                    yield return line;
                }
            }
            finally
            {
                // The caller went away (or stopped reading): end the watch and the pod streams with it.
                await stop.CancelAsync();
                await following;
            }

            yield break;
        }

        var readers = pods.Items.Where(p => Readable(p, query)).Select(p => ReadPodAsync(client, query, p.Metadata.Name!, options, lines.Writer, cancellationToken)).ToList();
        _ = Task.WhenAll(readers).ContinueWith(_ => lines.Writer.TryComplete(), TaskScheduler.Default);
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

    /// <summary>A pod has a log once it runs (or ran); before that the kubelet has nothing to give.</summary>
    private static bool Readable(Pod pod, LogQuery query) =>
        pod.Metadata.Name is { } name
        && (query.Instance is null || name == query.Instance)
        && (pod.Status?.PodIP is not null || pod.Status?.Phase is "Running" or "Succeeded" or "Failed");

    /// <summary>
    /// Follows every readable pod of the list, then watches the function's pods from the list's version and
    /// follows each pod that becomes readable later (a replica started by a scale-up or a restart), as new
    /// replicas join the process backend's log stream. Completes the channel when every pod stream ended
    /// and the watch is over (cancelled, or failed for good).
    /// </summary>
    private static async Task FollowAsync(KubernetesClient client, LogQuery query, KubernetesList<Pod> pods, PodLogOptions options, ChannelWriter<LogMessage> writer, CancellationToken cancellationToken)
    {
        var readers = new List<Task>();
        var started = new HashSet<string>(StringComparer.Ordinal);
        void Follow(Pod pod)
        {
            if (Readable(pod, query) && pod.Metadata.DeletionTimestamp is null && started.Add(pod.Metadata.Name!))
            {
                readers.Add(ReadPodAsync(client, query, pod.Metadata.Name!, options, writer, cancellationToken));
            }
        }

        foreach (var pod in pods.Items)
        {
            Follow(pod);
        }

        try
        {
            var watch = new WatchOptions { LabelSelector = FunctionObjects.Selector(query.Name), ResourceVersion = pods.Metadata.ResourceVersion };
            await foreach (var change in client.Pods.WatchAsync(query.Namespace, watch, cancellationToken))
            {
                if (change.Type != WatchEventType.Deleted)
                {
                    Follow(change.Object);
                }
            }
        }
        catch (Exception e) when (e is KubernetesException or IOException or JsonException or OperationCanceledException)
        {
            // Cancelled, or the watch cannot go on: the pods already followed keep streaming.
        }

        await Task.WhenAll(readers);
        writer.TryComplete();
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

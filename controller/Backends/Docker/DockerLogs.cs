using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Faas.Contracts.Logs;
using Faas.Controller.Logs;
using Faas.Docker;

namespace Faas.Controller.Backends.Docker;

/// <summary><c>/system/logs</c> from the Engine API's container logs (instance = replica id).</summary>
internal static class DockerLogs
{
    public static async IAsyncEnumerable<LogMessage> ReadAsync(DockerBackend backend, LogQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var replicas = backend.ReplicasOf(query.Name, query.Namespace)
            .Where(r => query.Instance is null || r.ReplicaId == query.Instance)
            .ToList();
        var parameters = new ContainerLogsParameters
        {
            Timestamps = true,
            Since = query.Since,
            Tail = query.Tail > 0 ? query.Tail : null,
        };

        // History: every replica's lines merged by time, then the overall tail.
        var history = new List<LogMessage>();
        foreach (var replica in replicas)
        {
            await foreach (var line in Lines(backend, query, replica, parameters, cancellationToken))
            {
                history.Add(line);
            }
        }

        var ordered = history.OrderBy(m => m.Timestamp).ToList();
        foreach (var message in query.Tail > 0 ? ordered.TakeLast(query.Tail) : ordered)
        {
            yield return message;
        }

        if (!query.Follow || replicas.Count == 0)
        {
            yield break;
        }

        // Follow: new lines of the same replicas, interleaved as they come.
        var since = ordered.Count > 0 ? ordered[^1].Timestamp.AddTicks(1) : DateTimeOffset.UtcNow;
        var follow = parameters with { Follow = true, Tail = null, Since = since };
        var channel = Channel.CreateUnbounded<LogMessage>();
        var pumps = replicas.Select(async replica =>
        {
            await foreach (var line in Lines(backend, query, replica, follow, cancellationToken))
            {
                await channel.Writer.WriteAsync(line, cancellationToken);
            }
        }).ToList();
        _ = Task.WhenAll(pumps).ContinueWith(_ => channel.Writer.TryComplete(), TaskScheduler.Default);
        await foreach (var message in channel.Reader.ReadAllAsync(cancellationToken))
        {
            yield return message;
        }
    }

    private static async IAsyncEnumerable<LogMessage> Lines(DockerBackend backend, LogQuery query, ObservedReplica replica, ContainerLogsParameters parameters, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var lines = backend.Docker.Containers.GetContainerLogsAsync(replica.ContainerId, parameters, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                LogLine line;
                try
                {
                    if (!await lines.MoveNextAsync())
                    {
                        yield break;
                    }

                    line = lines.Current;
                }
                catch (DockerException)
                {
                    // The container went away or the daemon did: its lines end here.
                    yield break;
                }

                yield return new LogMessage
                {
                    Name = query.Name,
                    Namespace = query.Namespace,
                    Instance = replica.ReplicaId,
                    Timestamp = line.Timestamp ?? DateTimeOffset.UtcNow,
                    Text = line.Text,
                };
            }
        }
        finally
        {
            await lines.DisposeAsync();
        }
    }
}

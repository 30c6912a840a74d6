using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Faas.Kubernetes;

/// <summary>
/// A watch that does not lose events. Map of one run:
/// 1. List (unless a start version was given); report objects not seen before as Added, changed ones as
///    Modified and vanished ones as Deleted; remember the list's resourceVersion.
/// 2. Watch from that version; every event moves the remembered version forward (bookmarks too).
/// 3. Connection dropped, or the server ended the watch: resume from the remembered version (2).
///    Server unreachable: retry with doubling, jittered delay.
/// 4. 410 Gone (the version was compacted away): back to (1); the diff reports what was missed.
/// Other errors (403, 404, ...) end the enumeration with the typed exception.
/// </summary>
internal sealed class Watcher<T>
    where T : class, IKubernetesObject
{
    private readonly ResourceClient<T> _client;
    private readonly KubernetesTransport _transport;
    private readonly ResourceDefinition<T> _definition;
    private readonly string? _namespace;
    private readonly WatchOptions _options;
    private readonly ILogger _logger;
    private readonly Dictionary<string, T> _known = new(StringComparer.Ordinal);

    public Watcher(ResourceClient<T> client, KubernetesTransport transport, ResourceDefinition<T> definition, string? ns, WatchOptions options, ILogger logger)
    {
        _client = client;
        _transport = transport;
        _definition = definition;
        _namespace = ns;
        _options = options;
        _logger = logger;
    }

    public async IAsyncEnumerable<WatchEvent<T>> RunAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var version = _options.ResourceVersion;
        var needList = version is null;
        var delay = _options.RetryDelay;
        var path = _definition.CollectionPath(_namespace);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (needList)
            {
                var listed = await TryListAsync(cancellationToken).ConfigureAwait(false);
                if (listed is null)
                {
                    delay = await BackOffAsync(path, "list failed", delay, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                foreach (var change in Diff(listed.Items))
                {
                    yield return change;
                }

                version = listed.Metadata.ResourceVersion;
                needList = false;
            }

            var stream = await TryOpenAsync(path, version, cancellationToken).ConfigureAwait(false);
            if (stream.Outcome == OpenOutcome.Gone)
            {
                KubernetesClientLog.WatchRelisting(_logger, path, version);
                needList = true;
                continue;
            }

            if (stream.Outcome == OpenOutcome.Unavailable)
            {
                delay = await BackOffAsync(path, "connect failed", delay, cancellationToken).ConfigureAwait(false);
                continue;
            }

            using (stream.Response)
            await using (var body = stream.Body!)
            {
                using var reader = new StreamReader(body);
                while (true)
                {
                    var next = await ReadAsync(reader, cancellationToken).ConfigureAwait(false);
                    if (next.Kind == LineKind.End)
                    {
                        break;
                    }

                    if (next.Kind == LineKind.Gone)
                    {
                        KubernetesClientLog.WatchRelisting(_logger, path, version);
                        needList = true;
                        break;
                    }

                    delay = _options.RetryDelay;
                    version = next.Object!.Metadata.ResourceVersion ?? version;
                    if (next.Kind == LineKind.Bookmark)
                    {
                        continue;
                    }

                    var key = Key(next.Object);
                    if (next.Type == WatchEventType.Deleted)
                    {
                        _known.Remove(key);
                    }
                    else
                    {
                        _known[key] = next.Object;
                    }

                    yield return new WatchEvent<T>(next.Type, next.Object);
                }
            }

            if (!needList)
            {
                KubernetesClientLog.WatchResuming(_logger, path, "stream ended", version, TimeSpan.Zero);
            }
        }
    }

    /// <summary>What changed between the objects known so far and a fresh list; the list becomes the known set.</summary>
    private List<WatchEvent<T>> Diff(List<T> items)
    {
        var changes = new List<WatchEvent<T>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var key = Key(item);
            seen.Add(key);
            if (!_known.TryGetValue(key, out var old))
            {
                changes.Add(new WatchEvent<T>(WatchEventType.Added, item));
            }
            else if (old.Metadata.ResourceVersion != item.Metadata.ResourceVersion)
            {
                changes.Add(new WatchEvent<T>(WatchEventType.Modified, item));
            }

            _known[key] = item;
        }

        foreach (var (key, old) in _known.Where(pair => !seen.Contains(pair.Key)).ToList())
        {
            changes.Add(new WatchEvent<T>(WatchEventType.Deleted, old));
            _known.Remove(key);
        }

        return changes;
    }

    private async Task<KubernetesList<T>?> TryListAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _client.ListForWatchAsync(_namespace,
                new ListOptions { LabelSelector = _options.LabelSelector, FieldSelector = _options.FieldSelector }, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesUnavailableException)
        {
            return null;
        }
    }

    private async Task<OpenResult> TryOpenAsync(string path, string? version, CancellationToken cancellationToken)
    {
        // Jitter the server-side timeout so many watches do not all reconnect at once.
        var seconds = (int)Math.Max(1, _options.ServerTimeout.TotalSeconds * (0.9 + Random.Shared.NextDouble() * 0.2));
        var query = new QueryBuilder();
        query.Add("watch", "true");
        query.Add("resourceVersion", version);
        query.Add("allowWatchBookmarks", "true");
        query.Add("timeoutSeconds", seconds.ToString(CultureInfo.InvariantCulture));
        query.Add("labelSelector", _options.LabelSelector);
        query.Add("fieldSelector", _options.FieldSelector);
        HttpResponseMessage? response = null;
        try
        {
            response = await _transport.OpenStreamAsync(path + query, $"watch {_definition.Plural}", cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new OpenResult(OpenOutcome.Open, response, body);
        }
        catch (KubernetesGoneException)
        {
            return new OpenResult(OpenOutcome.Gone, null, null);
        }
        catch (Exception ex) when (ex is KubernetesUnavailableException or IOException or HttpRequestException)
        {
            response?.Dispose();
            return new OpenResult(OpenOutcome.Unavailable, null, null);
        }
    }

    /// <summary>The next event line; End when the stream finished or broke (the caller resumes).</summary>
    private async Task<Line> ReadAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        string? text;
        try
        {
            text = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            return Line.End;
        }

        if (text is null)
        {
            return Line.End;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return await ReadAsync(reader, cancellationToken).ConfigureAwait(false);
        }

        using var document = JsonDocument.Parse(text);
        var type = document.RootElement.GetProperty("type").GetString();
        var element = document.RootElement.GetProperty("object");
        if (type == "ERROR")
        {
            var status = element.Deserialize(KubernetesJsonContext.Default.Status);
            if (status?.Code == 410)
            {
                return Line.Gone;
            }

            throw KubernetesException.FromStatus((System.Net.HttpStatusCode)(status?.Code ?? 500), status, $"watch {_definition.Plural}");
        }

        var item = element.Deserialize(_definition.TypeInfo)
            ?? throw new KubernetesApiException($"watch {_definition.Plural}: an event carried no object", System.Net.HttpStatusCode.OK);
        return type switch
        {
            "ADDED" => new Line(LineKind.Event, WatchEventType.Added, item),
            "MODIFIED" => new Line(LineKind.Event, WatchEventType.Modified, item),
            "DELETED" => new Line(LineKind.Event, WatchEventType.Deleted, item),
            "BOOKMARK" => new Line(LineKind.Bookmark, default, item),
            _ => throw new KubernetesApiException($"watch {_definition.Plural}: unknown event type '{type}'", System.Net.HttpStatusCode.OK),
        };
    }

    private async Task<TimeSpan> BackOffAsync(string path, string reason, TimeSpan delay, CancellationToken cancellationToken)
    {
        var jittered = delay * (0.8 + Random.Shared.NextDouble() * 0.4);
        KubernetesClientLog.WatchUnavailable(_logger, path, reason, jittered);
        await Task.Delay(jittered, cancellationToken).ConfigureAwait(false);
        var next = delay * 2;
        return next > _options.MaxRetryDelay ? _options.MaxRetryDelay : next;
    }

    private static string Key(T item) => $"{item.Metadata.Namespace}/{item.Metadata.Name}";

    private enum OpenOutcome
    {
        Open,
        Gone,
        Unavailable,
    }

    private sealed record OpenResult(OpenOutcome Outcome, HttpResponseMessage? Response, Stream? Body);

    private enum LineKind
    {
        Event,
        Bookmark,
        Gone,
        End,
    }

    private sealed record Line(LineKind Kind, WatchEventType Type, T? Object)
    {
        public static readonly Line End = new(LineKind.End, default, null);

        public static readonly Line Gone = new(LineKind.Gone, default, null);
    }
}

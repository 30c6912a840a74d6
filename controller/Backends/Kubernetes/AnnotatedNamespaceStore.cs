using System.Globalization;
using System.Text.Json.Nodes;
using Faas.Contracts.System;
using Faas.Controller.Namespaces;
using Faas.Kubernetes;

namespace Faas.Controller.Backends.Kubernetes;

/// <summary>
/// <c>kubernetes_namespaces=annotation</c> (the chart's clusterRole=true): every Namespace annotated
/// <c>openfaas: "1"</c> is a function namespace, as with OpenFaaS's clusterRole=true. Reads are from memory,
/// kept current by a list + watch of all Namespaces. Map of one run of the loop:
/// 1. List all Namespaces and replace the in-memory set (entries written locally after the list are kept).
/// 2. Watch from the list's version; the client's watch resumes after drops and re-lists after 410 Gone.
/// 3. The client's own re-list after 410 reports deletions only of namespaces it saw change, so when it
///    re-lists (seen as an Added event for a namespace already known, not one created here), start again at
///    (1) at once; also every <see cref="ResyncInterval"/>, and after a pause when the watch fails (e.g. 403).
/// Create, update and delete go to the API server and their answers are applied at once (the watch confirms).
/// </summary>
public sealed partial class AnnotatedNamespaceStore(KubernetesClient client, ILogger<AnnotatedNamespaceStore> logger)
    : BackgroundService, INamespaceStore
{
    private readonly Lock _sync = new();
    private readonly TaskCompletionSource _firstSync = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Every live Namespace by name (guarded by _sync); _snapshot is what reads see, replaced on each change.
    private readonly Dictionary<string, Namespace> _all = new(StringComparer.Ordinal);

    // Namespaces this controller deleted: late events about them (same uid) must not bring them back.
    private readonly HashSet<string> _deletedUids = new(StringComparer.Ordinal);

    // Namespaces this controller created: their Added event is the echo of the create, not a re-list.
    private readonly HashSet<string> _createdUids = new(StringComparer.Ordinal);
    private volatile Snapshot _snapshot = Snapshot.Empty;
    private volatile string? _unsyncedReason = "the namespaces have not been read from the Kubernetes API yet";

    /// <summary>Pause before starting again after the list or watch failed.</summary>
    internal TimeSpan RestartDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the whole set is listed again (see step 3).</summary>
    internal TimeSpan ResyncInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long start-up waits for the first list (the app serves either way).</summary>
    internal TimeSpan StartupWait { get; init; } = TimeSpan.FromSeconds(5);

    public IReadOnlyList<FunctionNamespace> List() => _snapshot.OptedIn;

    public FunctionNamespace? Get(string name) => _snapshot.ByName.GetValueOrDefault(name);

    public string? Explain(string name)
    {
        if (_unsyncedReason is { } reason)
        {
            throw new BackendException(BackendResult.Unavailable($"namespace '{name}' cannot be checked: {reason}"));
        }

        return _snapshot.Foreign.Contains(name) ? NamespaceObjects.NotOptedIn(name) : null;
    }

    public async Task<bool> CreateAsync(FunctionNamespace ns, CancellationToken cancellationToken = default)
    {
        var labels = new Dictionary<string, string>(ns.Labels ?? [], StringComparer.Ordinal)
        {
            [FunctionObjects.ManagedByLabel] = FunctionObjects.ManagedByValue,
        };
        var annotations = new Dictionary<string, string>(ns.Annotations ?? [], StringComparer.Ordinal)
        {
            [NamespaceObjects.OptInKey] = NamespaceObjects.OptInValue,
        };
        var what = $"creating namespace '{ns.Name}'";
        try
        {
            var created = await client.Namespaces.CreateAsync(
                new Namespace { Metadata = new ObjectMeta { Name = ns.Name, Labels = labels, Annotations = annotations } }, cancellationToken);
            lock (_sync)
            {
                if (created.Metadata.Uid is { } uid)
                {
                    _createdUids.Add(uid);
                }
            }

            Apply(WatchEventType.Added, created);
            return true;
        }
        catch (KubernetesConflictException)
        {
            // It exists: ours to report as a duplicate, or someone else's that the platform will not take over.
            var existing = await KubernetesErrors.ReadAsync(() => client.Namespaces.GetAsync(ns.Name, cancellationToken), what);
            if (NamespaceObjects.IsOptedIn(existing) || !NamespaceObjects.IsLive(existing))
            {
                return false;
            }

            throw new BackendException(BackendResult.Conflict(
                $"namespace '{ns.Name}' already exists and is not a function namespace: the platform does not take over namespaces it did not create; to use it for functions, `kubectl annotate namespace {ns.Name} {NamespaceObjects.OptInKey}={NamespaceObjects.OptInValue}`"));
        }
        catch (KubernetesException e)
        {
            throw new BackendException(KubernetesErrors.ToResult(e, what), e);
        }
    }

    public async Task<bool> UpdateAsync(FunctionNamespace ns, CancellationToken cancellationToken = default)
    {
        if (Get(ns.Name) is null)
        {
            return false;
        }

        // A merge patch adds and changes the given keys and leaves the rest (Kubernetes' own labels, the opt-in).
        var labels = new JsonObject();
        foreach (var (key, value) in ns.Labels ?? [])
        {
            if (key != FunctionObjects.ManagedByLabel)
            {
                labels[key] = value;
            }
        }

        var annotations = new JsonObject();
        foreach (var (key, value) in ns.Annotations ?? [])
        {
            annotations[key] = value;
        }

        annotations[NamespaceObjects.OptInKey] = NamespaceObjects.OptInValue;
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = labels, ["annotations"] = annotations } };
        try
        {
            Apply(WatchEventType.Modified, await client.Namespaces.PatchAsync(ns.Name, KubernetesPatch.Merge(patch), cancellationToken));
            return true;
        }
        catch (KubernetesNotFoundException)
        {
            return false;
        }
        catch (KubernetesException e)
        {
            throw new BackendException(KubernetesErrors.ToResult(e, $"changing namespace '{ns.Name}'"), e);
        }
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        Namespace? current;
        lock (_sync)
        {
            current = _all.GetValueOrDefault(name);
        }

        if (current is null || !NamespaceObjects.IsOptedIn(current))
        {
            return false;
        }

        if (!NamespaceObjects.IsManaged(current))
        {
            // Deleting a Namespace deletes everything in it: only those the platform created are its to delete.
            throw new BackendException(BackendResult.Conflict(
                $"namespace '{name}' was opted in by annotation but not created by the platform (no label {FunctionObjects.ManagedByLabel}={FunctionObjects.ManagedByValue}), so the platform will not delete it and whatever else it holds: opt it out with `kubectl annotate namespace {name} {NamespaceObjects.OptInKey}-`, or delete it with kubectl"));
        }

        try
        {
            // The uid precondition: never delete a namespace of the same name created since it was read.
            await client.Namespaces.DeleteAsync(name, new DeleteOptions { Preconditions = new Preconditions { Uid = current.Metadata.Uid } }, cancellationToken);
        }
        catch (KubernetesNotFoundException)
        {
            return false;
        }
        catch (KubernetesException e)
        {
            throw new BackendException(KubernetesErrors.ToResult(e, $"deleting namespace '{name}'"), e);
        }

        Apply(WatchEventType.Deleted, current);
        return true;
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await base.StartAsync(cancellationToken);
        try
        {
            // Serve with the namespaces known when the API server answers in time; else 503 until it does.
            await _firstSync.Task.WaitAsync(StartupWait, cancellationToken);
        }
        catch (TimeoutException)
        {
            Log.NotSyncedAtStart(logger, StartupWait);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListAndWatchAsync(stoppingToken);
                continue;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is KubernetesException or IOException or System.Text.Json.JsonException)
            {
                Log.WatchFailed(logger, e.Message);
                if (!_firstSync.Task.IsCompleted)
                {
                    _unsyncedReason = $"the namespaces could not be read from the Kubernetes API: {e.Message}";
                }
            }

            try
            {
                await Task.Delay(RestartDelay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ListAndWatchAsync(CancellationToken stoppingToken)
    {
        var listed = await client.Namespaces.ListAsync(cancellationToken: stoppingToken);
        ReplaceAll(listed.Items, listed.Metadata.ResourceVersion);
        using var resync = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        resync.CancelAfter(ResyncInterval);
        try
        {
            var options = new WatchOptions { ResourceVersion = listed.Metadata.ResourceVersion };
            await foreach (var change in client.Namespaces.WatchAsync(options, resync.Token))
            {
                if (change.Type == WatchEventType.Added && IsRelisted(change.Object))
                {
                    Log.Relisting(logger);
                    return; // step 3: list again now
                }

                Apply(change.Type, change.Object);
            }
        }
        catch (OperationCanceledException) when (resync.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            // Time for a full list (step 3).
        }
    }

    /// <summary>An Added event for a namespace already known (same uid) that was not created here: the client re-listed.</summary>
    private bool IsRelisted(Namespace ns)
    {
        lock (_sync)
        {
            if (ns.Metadata.Uid is not { } uid || _createdUids.Remove(uid))
            {
                return false;
            }

            return ns.Metadata.Name is { } name && _all.TryGetValue(name, out var known) && known.Metadata.Uid == uid;
        }
    }

    private void ReplaceAll(List<Namespace> items, string? listVersion)
    {
        lock (_sync)
        {
            var listed = items.Where(n => n.Metadata.Name is not null && NamespaceObjects.IsLive(n)).ToDictionary(n => n.Metadata.Name!, StringComparer.Ordinal);
            foreach (var (name, known) in _all)
            {
                // Written locally after the list was taken: keep until the watch says otherwise.
                if (!listed.ContainsKey(name) && IsNewer(known.Metadata.ResourceVersion, listVersion))
                {
                    listed[name] = known;
                }
            }

            _all.Clear();
            foreach (var (name, ns) in listed)
            {
                _all[name] = ns;
            }

            PublishLocked();
        }

        _unsyncedReason = null;
        _firstSync.TrySetResult();
    }

    private void Apply(WatchEventType type, Namespace ns)
    {
        if (ns.Metadata.Name is not { } name)
        {
            return;
        }

        lock (_sync)
        {
            var known = _all.GetValueOrDefault(name);
            var sameObject = known is not null && known.Metadata.Uid == ns.Metadata.Uid;
            if (type == WatchEventType.Deleted || !NamespaceObjects.IsLive(ns))
            {
                if (known is null || sameObject)
                {
                    _all.Remove(name);
                }

                if (ns.Metadata.Uid is { } uid)
                {
                    _deletedUids.Add(uid);
                }
            }
            else if (ns.Metadata.Uid is { } uid && _deletedUids.Contains(uid))
            {
                return; // a late event about a namespace already deleted
            }
            else if (sameObject && IsNewer(known!.Metadata.ResourceVersion, ns.Metadata.ResourceVersion))
            {
                return; // older than what a local write already applied
            }
            else
            {
                _all[name] = ns;
            }

            if (_deletedUids.Count > 10_000 || _createdUids.Count > 10_000)
            {
                // Bounded; events that late no longer arrive.
                _deletedUids.Clear();
                _createdUids.Clear();
            }

            PublishLocked();
        }
    }

    private void PublishLocked()
    {
        var optedIn = _all.Values.Where(NamespaceObjects.IsOptedIn).Select(NamespaceObjects.ToFunctionNamespace)
            .OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
        var next = new Snapshot(
            optedIn,
            optedIn.ToDictionary(n => n.Name, StringComparer.Ordinal),
            _all.Values.Where(n => !NamespaceObjects.IsOptedIn(n)).Select(n => n.Metadata.Name!).ToHashSet(StringComparer.Ordinal));
        var previous = _snapshot;
        _snapshot = next;
        foreach (var added in next.ByName.Keys.Where(n => !previous.ByName.ContainsKey(n)))
        {
            Log.OptedIn(logger, added);
        }

        foreach (var removed in previous.ByName.Keys.Where(n => !next.ByName.ContainsKey(n)))
        {
            Log.OptedOut(logger, removed);
        }
    }

    /// <summary>True when version <paramref name="a"/> is later than <paramref name="b"/> (etcd revisions are numbers; unknown compares as not newer).</summary>
    private static bool IsNewer(string? a, string? b) =>
        ulong.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var x)
        && ulong.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var y)
        && x > y;

    private sealed record Snapshot(IReadOnlyList<FunctionNamespace> OptedIn, IReadOnlyDictionary<string, FunctionNamespace> ByName, IReadOnlySet<string> Foreign)
    {
        public static readonly Snapshot Empty = new([], new Dictionary<string, FunctionNamespace>(), new HashSet<string>());
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7235, Level = LogLevel.Warning, Message = "Namespace watch ended ({Reason}); listing again")]
        public static partial void WatchFailed(ILogger logger, string reason);

        [LoggerMessage(EventId = 7236, Level = LogLevel.Information, Message = "Function namespace {Namespace}: not opted in -> opted in")]
        public static partial void OptedIn(ILogger logger, string @namespace);

        [LoggerMessage(EventId = 7237, Level = LogLevel.Information, Message = "Function namespace {Namespace}: opted in -> not opted in")]
        public static partial void OptedOut(ILogger logger, string @namespace);

        [LoggerMessage(EventId = 7239, Level = LogLevel.Information, Message = "Namespace watch re-listed after 410 Gone; listing again to catch deletions it cannot report")]
        public static partial void Relisting(ILogger logger);

        [LoggerMessage(EventId = 7238, Level = LogLevel.Warning, Message = "The namespaces were not read within {Wait} of start-up; requests naming other namespaces get 503 until they are")]
        public static partial void NotSyncedAtStart(ILogger logger, TimeSpan wait);
    }
}

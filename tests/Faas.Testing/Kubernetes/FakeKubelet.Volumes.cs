using System.Net;
using System.Text.Json.Nodes;

namespace Faas.Testing.Kubernetes;

/// <summary>
/// What a kubelet does with a pod's Secret volumes, driven by the pod spec the API server holds: for every
/// volume of type <c>secret</c> or a <c>projected</c> volume's <c>secret</c> sources it GETs the Secret with
/// the node's own credentials (the Node authorizer only lets a node read Secrets its bound pods reference),
/// and writes the keys (all, or the listed <c>items</c>) as files into the local folder the test mapped to the
/// container's <c>mountPath</c>. A missing Secret (or key) that is not <c>optional</c> keeps the container
/// from starting: the pod stays Pending, not Ready, and the sync loop retries, as a kubelet does. Mounted
/// volumes are re-synced every <see cref="VolumeSyncInterval"/> (a kubelet does so on its periodic pod sync)
/// or on demand with <see cref="SyncVolumesAsync"/>; each file is replaced atomically (temp file + rename).
/// Not modelled: configMap/downwardAPI/serviceAccountToken sources, subPath mounts, fsGroup.
/// </summary>
public sealed partial class FakeKubelet
{
    /// <summary>How often mounted Secret volumes are refreshed (a real kubelet: about a minute; tests want seconds).</summary>
    public static readonly TimeSpan VolumeSyncInterval = TimeSpan.FromSeconds(1);

    // 0644, the API's default file mode for secret volumes.
    private const int DefaultFileMode = 0x1A4;

    private readonly Lock _podsLock = new();
    private readonly Dictionary<(string Namespace, string Pod), RunningPod> _pods = [];
    private readonly Dictionary<string, string> _mounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _writtenFiles = new(StringComparer.Ordinal);

    // One sync at a time: pods of one test may share a local folder (one watchdog stands in for all pods).
    private readonly SemaphoreSlim _syncGate = new(1, 1);
    private Task _volumeLoop = Task.CompletedTask;

    /// <summary>
    /// Makes <paramref name="localDirectory"/> stand for <paramref name="mountPath"/> in every container this
    /// kubelet runs: Secret volumes mounted there are written into it (created if needed).
    /// </summary>
    public void MapMount(string mountPath, string localDirectory)
    {
        Directory.CreateDirectory(localDirectory);
        lock (_podsLock)
        {
            _mounts[mountPath] = localDirectory;
        }
    }

    /// <summary>Why the pod's volumes could not be mounted on the last try (null: mounted, or not run here).</summary>
    public string? MountError(string @namespace, string pod)
    {
        lock (_podsLock)
        {
            return _pods.GetValueOrDefault((@namespace, pod))?.MountError;
        }
    }

    /// <summary>Re-reads the Secrets of every pod this kubelet runs and rewrites the mapped folders now.</summary>
    public async Task SyncVolumesAsync(CancellationToken cancellationToken = default)
    {
        List<(string, string)> pods;
        lock (_podsLock)
        {
            pods = [.. _pods.Keys];
        }

        foreach (var (ns, pod) in pods)
        {
            await SyncPodAsync(ns, pod, cancellationToken);
        }
    }

    /// <summary>
    /// Binds the pod here, mounts its Secret volumes and, when that worked, reports it Running and Ready at
    /// <paramref name="podIP"/>. Returns false when a volume could not be mounted (see <see cref="MountError"/>):
    /// the pod then stays Pending and the sync loop starts it once its Secrets can be read.
    /// </summary>
    public async Task<bool> RunPodAsync(string @namespace, string pod, string podIP = "127.0.0.1", CancellationToken cancellationToken = default)
    {
        await BindAsync(@namespace, pod, cancellationToken);
        lock (_podsLock)
        {
            _pods.TryAdd((@namespace, pod), new RunningPod(podIP));
        }

        // The Node authorizer learns of the binding from its own watch: a Secret GET right after binding can
        // be refused (403) for a moment, which a kubelet would simply retry.
        using var settle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        settle.CancelAfter(TimeSpan.FromSeconds(15));
        while (true)
        {
            var outcome = await SyncPodAsync(@namespace, pod, cancellationToken);
            if (outcome != SyncOutcome.Forbidden)
            {
                // Synced: the loop started it first.
                return outcome is SyncOutcome.Started or SyncOutcome.Synced;
            }

            try
            {
                await Task.Delay(100, settle.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }
    }

    private void StartVolumeLoop() => _volumeLoop = SyncVolumesPeriodicallyAsync(_stopping.Token);

    private void ForgetPod(string @namespace, string pod)
    {
        lock (_podsLock)
        {
            _pods.Remove((@namespace, pod));
        }
    }

    private async Task SyncVolumesPeriodicallyAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(VolumeSyncInterval, cancellationToken);
                await SyncVolumesAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or IOException or OperationCanceledException)
            {
                // The next tick retries, as the kubelet's pod sync does.
            }
        }
    }

    /// <summary>
    /// 1. GET the pod (node credentials); gone -> forget it. 2. Resolve every Secret volume to files.
    /// 3. Write them into the folders mapped to the containers' mount paths. 4. First success: report Ready.
    /// A failure after the start keeps the files as they were (a running container keeps its last content).
    /// </summary>
    private async Task<SyncOutcome> SyncPodAsync(string @namespace, string pod, CancellationToken cancellationToken)
    {
        await _syncGate.WaitAsync(cancellationToken);
        try
        {
            RunningPod? state;
            lock (_podsLock)
            {
                state = _pods.GetValueOrDefault((@namespace, pod));
            }

            if (state is null)
            {
                return SyncOutcome.Gone;
            }

            // 1.
            var (podStatus, podJson) = await NodeGetAsync($"/api/v1/namespaces/{@namespace}/pods/{pod}", cancellationToken);
            if (podStatus == HttpStatusCode.NotFound)
            {
                ForgetPod(@namespace, pod);
                return SyncOutcome.Gone;
            }

            if (podStatus != HttpStatusCode.OK)
            {
                return Failed(state, podStatus, $"GET pod {@namespace}/{pod} as the node: {(int)podStatus} {podJson}");
            }

            var spec = JsonNode.Parse(podJson)?["spec"];

            // 2.
            var volumes = new Dictionary<string, Dictionary<string, (byte[] Data, int Mode)>>(StringComparer.Ordinal);
            foreach (var volume in spec?["volumes"]?.AsArray() ?? [])
            {
                var name = (string?)volume?["name"] ?? "";
                var files = new Dictionary<string, (byte[], int)>(StringComparer.Ordinal);
                IEnumerable<JsonNode?> sources = volume?["secret"] is { } secret
                    ? [new JsonObject { ["name"] = secret["secretName"]?.DeepClone(), ["items"] = secret["items"]?.DeepClone(), ["optional"] = secret["optional"]?.DeepClone() }]
                    : volume?["projected"]?["sources"]?.AsArray().Select(s => s?["secret"]).Where(s => s is not null) ?? [];
                if (volume?["secret"] is null && volume?["projected"] is null)
                {
                    continue;
                }

                var defaultMode = (int?)(volume?["secret"] ?? volume?["projected"])?["defaultMode"] ?? DefaultFileMode;
                foreach (var source in sources)
                {
                    if (await ReadSecretSourceAsync(@namespace, source!, defaultMode, files, cancellationToken) is { } problem)
                    {
                        return Failed(state, problem.Status, $"volume '{name}': {problem.Message}");
                    }
                }

                volumes[name] = files;
            }

            // 3.
            foreach (var container in spec?["containers"]?.AsArray() ?? [])
            {
                foreach (var mount in container?["volumeMounts"]?.AsArray() ?? [])
                {
                    var mountPath = (string?)mount?["mountPath"] ?? "";
                    string? local;
                    lock (_podsLock)
                    {
                        local = _mounts.GetValueOrDefault(mountPath);
                    }

                    if (local is not null && volumes.TryGetValue((string?)mount?["name"] ?? "", out var files))
                    {
                        WriteVolume(local, files);
                    }
                }
            }

            state.MountError = null;

            // 4.
            if (!state.Started)
            {
                await ReportRunningAsync(@namespace, pod, ready: true, state.PodIP, cancellationToken);
                state.Started = true;
                return SyncOutcome.Started;
            }

            return SyncOutcome.Synced;
        }
        finally
        {
            _syncGate.Release();
        }

        static SyncOutcome Failed(RunningPod state, HttpStatusCode status, string message)
        {
            state.MountError = message;
            return status == HttpStatusCode.Forbidden ? SyncOutcome.Forbidden
                : state.Started ? SyncOutcome.Synced : SyncOutcome.NotMounted;
        }
    }

    /// <summary>Adds one Secret's files to <paramref name="files"/>; returns the reason when the volume cannot be mounted.</summary>
    private async Task<(HttpStatusCode Status, string Message)?> ReadSecretSourceAsync(
        string @namespace, JsonNode source, int defaultMode, Dictionary<string, (byte[], int)> files, CancellationToken cancellationToken)
    {
        var secretName = (string?)source["name"] ?? "";
        var optional = (bool?)source["optional"] ?? false;
        var (status, body) = await NodeGetAsync($"/api/v1/namespaces/{@namespace}/secrets/{secretName}", cancellationToken);
        if (status == HttpStatusCode.NotFound)
        {
            return optional ? null : (status, $"secret \"{secretName}\" not found");
        }

        if (status != HttpStatusCode.OK)
        {
            return (status, $"GET secret {@namespace}/{secretName} as the node: {(int)status} {body}");
        }

        var data = JsonNode.Parse(body)?["data"]?.AsObject() ?? [];
        if (source["items"] is JsonArray { Count: > 0 } items)
        {
            foreach (var item in items)
            {
                var key = (string?)item?["key"] ?? "";
                if (data[key] is not { } value)
                {
                    if (optional)
                    {
                        continue;
                    }

                    return (HttpStatusCode.NotFound, $"secret \"{secretName}\" has no key \"{key}\"");
                }

                files[(string?)item?["path"] ?? key] = (Convert.FromBase64String((string)value!), (int?)item?["mode"] ?? defaultMode);
            }
        }
        else
        {
            foreach (var (key, value) in data)
            {
                files[key] = (Convert.FromBase64String((string)value!), defaultMode);
            }
        }

        return null;
    }

    /// <summary>Each file via a temp file and a rename (readers never see half a value); files this volume no longer has go.</summary>
    private void WriteVolume(string directory, Dictionary<string, (byte[] Data, int Mode)> files)
    {
        foreach (var (path, (data, mode)) in files)
        {
            var target = Path.Combine(directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var temp = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
            File.WriteAllBytes(temp, data);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, (UnixFileMode)mode);
            }

            File.Move(temp, target, overwrite: true);
        }

        var written = _writtenFiles.TryGetValue(directory, out var before) ? before : _writtenFiles[directory] = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stale in written.Where(p => !files.ContainsKey(p)).ToList())
        {
            File.Delete(Path.Combine(directory, stale));
            written.Remove(stale);
        }

        written.UnionWith(files.Keys);
    }

    private async Task<(HttpStatusCode Status, string Body)> NodeGetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await _nodeHttp.GetAsync(path, cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    private enum SyncOutcome
    {
        Started,
        Synced,
        NotMounted,
        Forbidden,
        Gone,
    }

    private sealed class RunningPod(string podIP)
    {
        public string PodIP { get; } = podIP;

        public bool Started { get; set; }

        public string? MountError { get; set; }
    }
}

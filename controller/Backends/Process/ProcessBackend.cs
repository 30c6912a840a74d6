using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Faas.Contracts.Functions;
using Faas.Contracts.Logs;
using Faas.Contracts.Naming;
using Faas.Controller.Configuration;
using Faas.Controller.Endpoints;
using Faas.Controller.Logs;
using Faas.Controller.Secrets;

namespace Faas.Controller.Backends.Process;

/// <summary>
/// The embedded backend: every replica is a local watchdog process on a loopback port. Desired
/// state lives in <c>&lt;state_dir&gt;/functions.json</c>; <see cref="ProcessReconciler"/> recovers it
/// at start-up and keeps replicas in line; one <see cref="FunctionSupervisor"/> per function.
/// </summary>
public sealed class ProcessBackend : IFunctionBackend, ISecretDelivery, IWarmTier, IReplicaProcesses, IDisposable
{
    private readonly ConcurrentDictionary<(string Name, string Namespace), FunctionSupervisor> _functions = new();
    private readonly ConcurrentDictionary<int, byte> _ports = new();
    private readonly EndpointBroadcaster _endpoints = new();
    private readonly Lock _publishSync = new();
    private readonly SemaphoreSlim _secretsGate = new(1, 1);
    private readonly Channel<bool> _kick = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public ProcessBackend(
        ControllerOptions options,
        ProcessBackendTimings timings,
        IReplicaLauncher launcher,
        IReplicaProbe probe,
        TimeProvider time,
        ISecretStore secrets,
        ILogger<ProcessBackend> logger)
    {
        Secrets = secrets;
        Options = options;
        Timings = timings;
        Launcher = launcher;
        Probe = probe;
        Time = time;
        Logger = logger;
        Paths = new ProcessPaths(options.StateDir);
        Store = new FunctionStateStore(Paths);
        Ready = new ReadyNotifier(Paths.ReadyDir, logger);
    }

    public string Orchestration => ControllerOptions.ProcessBackend;

    public IEndpointSource Endpoints => _endpoints;

    internal ControllerOptions Options { get; }

    internal ProcessBackendTimings Timings { get; }

    internal IReplicaLauncher Launcher { get; }

    internal IReplicaProbe Probe { get; }

    internal TimeProvider Time { get; }

    internal ILogger Logger { get; }

    internal ProcessPaths Paths { get; }

    internal FunctionStateStore Store { get; }

    internal ISecretStore Secrets { get; }

    internal ReadyNotifier Ready { get; }

    public Task<IReadOnlyList<FunctionStatus>> ListAsync(string @namespace, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<FunctionStatus> list = _functions.Values
            .Where(f => f.Namespace == @namespace && !f.IsDeleting)
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => f.ToStatus())
            .ToList();
        return Task.FromResult(list);
    }

    public IReadOnlyList<ReplicaProcess> ListReplicaProcesses()
    {
        var list = new List<ReplicaProcess>();
        foreach (var f in _functions.Values)
        {
            f.AddProcesses(list);
        }

        return list;
    }

    public Task<FunctionStatus?> GetAsync(string name, string @namespace, CancellationToken cancellationToken = default) =>
        Task.FromResult(Find(name, @namespace)?.ToStatus());

    public async Task<BackendResult> DeployAsync(FunctionDeployment deployment, CancellationToken cancellationToken = default)
    {
        var name = deployment.Service;
        var ns = deployment.Namespace ?? Options.FunctionNamespace;
        if (_functions.TryGetValue((name, ns), out var existing))
        {
            return Conflict(existing);
        }

        if (ArtifactResolver.Resolve(Options.ArtifactStore, deployment.Image, out var handlerAssembly) is { } error)
        {
            return BackendResult.Invalid(error);
        }

        var replicas = ScaleLabels.InitialReplicas(deployment.Labels, out _) ?? 1;
        var supervisor = new FunctionSupervisor(this, new FunctionRecord
        {
            Name = name,
            Namespace = ns,
            Deployment = deployment,
            HandlerAssembly = handlerAssembly,
            Replicas = replicas,
            Generation = 1,
            CreatedAt = Time.GetUtcNow(),
        });
        if (!_functions.TryAdd((name, ns), supervisor))
        {
            return Conflict(_functions.GetValueOrDefault((name, ns)));
        }

        // Accepted from here on: persisted before the 202, so it survives a restart.
        await PersistAsync();
        ProcessBackendLog.Deployed(Logger, supervisor.Qualified, deployment.Image, replicas);
        await supervisor.ReconcileAsync(CancellationToken.None);
        return BackendResult.Accepted;
    }

    public async Task<BackendResult> UpdateAsync(FunctionDeployment deployment, CancellationToken cancellationToken = default)
    {
        var ns = deployment.Namespace ?? Options.FunctionNamespace;
        if (Find(deployment.Service, ns) is not { } supervisor)
        {
            return NotFound(deployment.Service, ns);
        }

        if (ArtifactResolver.Resolve(Options.ArtifactStore, deployment.Image, out var handlerAssembly) is { } error)
        {
            return BackendResult.Invalid(error);
        }

        var min = ScaleLabels.InitialReplicas(deployment.Labels, out _);
        var hasMin = deployment.Labels?.ContainsKey(ScaleLabels.Min) == true;
        await supervisor.UpdateAsync(deployment, handlerAssembly, hasMin ? min : null, cancellationToken);
        return BackendResult.Accepted;
    }

    public async Task<BackendResult> DeleteAsync(string name, string @namespace, CancellationToken cancellationToken = default)
    {
        if (Find(name, @namespace) is not { } supervisor || !supervisor.TryMarkDeleting())
        {
            return NotFound(name, @namespace);
        }

        // Gone from the state file first, so that a crash half-way does not bring it back;
        // then stop the replicas and remove what the function left on disk.
        await PersistAsync();
        PublishEndpoints();
        await supervisor.RetireAsync();
        TryDeleteDirectory(Paths.FunctionLogs(@namespace, name));
        TryDeleteDirectory(Paths.FunctionSecrets(@namespace, name));
        _functions.TryRemove((name, @namespace), out _);
        PublishEndpoints();
        ProcessBackendLog.Deleted(Logger, supervisor.Qualified);
        return BackendResult.Accepted;
    }

    public async Task<BackendResult> ScaleAsync(string name, string @namespace, int replicas, CancellationToken cancellationToken = default)
    {
        if (Find(name, @namespace) is not { } supervisor)
        {
            return NotFound(name, @namespace);
        }

        await supervisor.ScaleAsync(replicas, cancellationToken);
        return BackendResult.Accepted;
    }

    public bool? IsPaused(string name, string @namespace) => Find(name, @namespace)?.IsPaused;

    public async Task<BackendResult> PauseAsync(string name, string @namespace, CancellationToken cancellationToken = default)
    {
        if (Find(name, @namespace) is not { } supervisor)
        {
            return NotFound(name, @namespace);
        }

        return await supervisor.PauseAsync(cancellationToken)
            ? BackendResult.Accepted
            : BackendResult.Conflict($"function '{name}' was not paused: it is changing or serving a call; try again later");
    }

    public async Task<BackendResult> ResumeAsync(string name, string @namespace, CancellationToken cancellationToken = default)
    {
        if (Find(name, @namespace) is not { } supervisor)
        {
            return NotFound(name, @namespace);
        }

        await supervisor.ResumeAsync(cancellationToken);
        return BackendResult.Accepted;
    }

    public IAsyncEnumerable<LogMessage> ReadLogsAsync(LogQuery query, CancellationToken cancellationToken = default)
    {
        var key = (query.Name, query.Namespace);
        return LogFileReader.ReadAsync(
            Paths.FunctionLogs(query.Namespace, query.Name),
            query,
            Timings.LogPollInterval,
            stillExists: () => _functions.TryGetValue(key, out var f) && !f.IsDeleting,
            cancellationToken);
    }

    /// <summary>
    /// Live update: rewrites the secret in the folder of every replica that holds a copy (replicas
    /// of a generation that lists it). The handler SDK reads the file on every call, so the next
    /// call sees the new value; no restart.
    /// </summary>
    public async Task SecretUpdatedAsync(string @namespace, string name, CancellationToken cancellationToken = default)
    {
        await _secretsGate.WaitAsync(cancellationToken);
        try
        {
            if (await Secrets.GetAsync(@namespace, name, cancellationToken) is not { } value)
            {
                return;
            }

            var refreshed = 0;
            foreach (var supervisor in _functions.Values.Where(f => f.Namespace == @namespace))
            {
                var folder = Paths.FunctionSecrets(@namespace, supervisor.Name);
                if (!Directory.Exists(folder))
                {
                    continue;
                }

                foreach (var replicaFolder in Directory.EnumerateDirectories(folder))
                {
                    var file = Path.Combine(replicaFolder, name);
                    if (File.Exists(file))
                    {
                        await SecretFiles.WriteAtomicAsync(file, value, DeliveredFileMode, cancellationToken);
                        refreshed++;
                    }
                }
            }

            ProcessBackendLog.SecretRefreshed(Logger, name, @namespace, refreshed);
        }
        finally
        {
            _secretsGate.Release();
        }
    }

    /// <summary>Copies read-only to the replica's folder: only the platform user (who runs the replicas) can read them.</summary>
    internal const UnixFileMode DeliveredFileMode = UnixFileMode.UserRead;

    /// <summary>
    /// Fills a new replica's secrets folder (0700) with the secrets its deployment lists, under the
    /// same gate as <see cref="SecretUpdatedAsync"/> so a concurrent update cannot be missed.
    /// </summary>
    internal async Task MaterializeSecretsAsync(string @namespace, string function, string replicaId, IReadOnlyList<string>? names, CancellationToken cancellationToken)
    {
        var folder = Paths.ReplicaSecrets(@namespace, function, replicaId);
        SecretFiles.EnsureDirectory(Path.Combine(Paths.StateDir, "secrets"));
        SecretFiles.EnsureDirectory(Path.Combine(Paths.StateDir, "secrets", @namespace));
        SecretFiles.EnsureDirectory(Paths.FunctionSecrets(@namespace, function));
        SecretFiles.EnsureDirectory(folder);
        if (names is not { Count: > 0 })
        {
            return;
        }

        await _secretsGate.WaitAsync(cancellationToken);
        try
        {
            foreach (var name in names.Distinct(StringComparer.Ordinal))
            {
                if (await Secrets.GetAsync(@namespace, name, cancellationToken) is { } value)
                {
                    await SecretFiles.WriteAtomicAsync(Path.Combine(folder, name), value, DeliveredFileMode, cancellationToken);
                }
                else
                {
                    ProcessBackendLog.SecretMissing(Logger, name, FunctionNames.Qualified(function, @namespace));
                }
            }
        }
        finally
        {
            _secretsGate.Release();
        }
    }

    /// <summary>Loads the state file and adopts the replicas that survived the previous controller.</summary>
    internal async Task RecoverAsync(CancellationToken cancellationToken)
    {
        Ready.Start();
        var state = Store.Load();
        int adopted = 0, lost = 0;
        foreach (var record in state.Functions)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var supervisor = new FunctionSupervisor(this, record);
            var (a, l) = supervisor.Adopt(record);
            adopted += a;
            lost += l;
            _functions[(record.Name, record.Namespace)] = supervisor;
        }

        if (state.Functions.Count > 0)
        {
            ProcessBackendLog.Recovered(Logger, state.Functions.Count, Store.FilePath, adopted, lost);
            await PersistAsync();
        }

        if (Options.WatchdogPath is null)
        {
            ProcessBackendLog.WatchdogMissing(Logger, string.Join(", ", Options.WatchdogSearchPaths));
        }

        PublishEndpoints();
    }

    internal async Task ReconcileAllAsync(CancellationToken cancellationToken)
    {
        foreach (var supervisor in _functions.Values)
        {
            if (supervisor.IsDeleting)
            {
                continue;
            }

            try
            {
                await supervisor.ReconcileAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                ProcessBackendLog.ReconcileFailed(Logger, supervisor.Qualified, e);
            }
        }
    }

    /// <summary>Waits for a signal (a replica changed state) or the next timed piece of work.</summary>
    internal async Task WaitForWorkAsync(CancellationToken cancellationToken)
    {
        var wait = Timings.ReconcileInterval;
        var now = Time.GetUtcNow();
        foreach (var supervisor in _functions.Values)
        {
            if (supervisor.NextDue() is { } due && due - now < wait)
            {
                wait = due - now;
            }
        }

        if (wait > TimeSpan.Zero)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(wait);
            await ((Task)_kick.Reader.WaitToReadAsync(timeout.Token).AsTask()).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
        }

        _kick.Reader.TryRead(out _);
    }

    /// <summary>Graceful shutdown: stops every replica; desired state stays for the next start.</summary>
    internal async Task StopAllAsync()
    {
        var supervisors = _functions.Values.ToList();
        ProcessBackendLog.StoppingAll(Logger, supervisors.Sum(s => s.ToRecord().ReplicaSet.Count), supervisors.Count);
        await Task.WhenAll(supervisors.Select(s => s.RetireAsync()));
        await PersistAsync();
        PublishEndpoints();
        Ready.Dispose();
    }

    public void Dispose() => Ready.Dispose();

    internal Task PersistAsync() => Store.SaveAsync(() => new ProcessState
    {
        Functions = _functions.Values
            .Where(f => !f.IsDeleting)
            .OrderBy(f => f.Namespace, StringComparer.Ordinal)
            .ThenBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => f.ToRecord())
            .ToList(),
    });

    internal void PublishEndpoints()
    {
        lock (_publishSync)
        {
            _endpoints.Publish(_functions.Values
                .Where(f => !f.IsDeleting)
                .OrderBy(f => f.Namespace, StringComparer.Ordinal)
                .ThenBy(f => f.Name, StringComparer.Ordinal)
                .Select(f => f.ToEndpoints())
                .ToList());
        }
    }

    /// <summary>Asks the reconcile loop for a pass soon.</summary>
    internal void Kick() => _kick.Writer.TryWrite(true);

    /// <summary>A free loopback port (bind port 0, read it, release), not handed to another replica of ours.</summary>
    internal int ReserveFreePort()
    {
        for (var attempt = 0; ; attempt++)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            if (_ports.TryAdd(port, 0) || attempt >= 20)
            {
                return port;
            }
        }
    }

    internal void ReservePort(int port) => _ports.TryAdd(port, 0);

    internal void ReleasePort(int port) => _ports.TryRemove(port, out _);

    internal void TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ProcessBackendLog.CleanupFailed(Logger, path, e);
        }
    }

    private FunctionSupervisor? Find(string name, string @namespace) =>
        _functions.TryGetValue((name, @namespace), out var supervisor) && !supervisor.IsDeleting ? supervisor : null;

    private static BackendResult NotFound(string name, string @namespace) =>
        BackendResult.NotFound($"function '{name}' not found in namespace {@namespace}");

    private static BackendResult Conflict(FunctionSupervisor? existing) =>
        existing is { IsDeleting: true }
            ? BackendResult.Conflict($"function '{existing.Name}' is being deleted; try again in a moment")
            : BackendResult.Conflict($"function '{existing?.Name}' already exists in namespace {existing?.Namespace}: update it with PUT /system/functions");
}

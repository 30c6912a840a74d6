using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Faas.Contracts.Endpoints;
using Faas.Contracts.Functions;
using Faas.Contracts.Naming;

namespace Faas.Controller.Backends.Process;

/// <summary>
/// Keeps one function's replicas in line with its desired state.
/// </summary>
/// <remarks>
/// Operations (deploy, update, scale, reconcile, retire) are serialised by <see cref="_gate"/>;
/// the short in-memory sections that replica monitors also touch are guarded by
/// <see cref="_sync"/>, which is never held across I/O. A reconcile pass:
/// <list type="number">
/// <item>drops failed replicas and schedules their replacement with exponential back-off;</item>
/// <item>stops the newest replicas of the current generation above the desired count;</item>
/// <item>starts missing replicas once the back-off allows;</item>
/// <item>stops the previous generation once the current one is ready, or the roll-out timed out;</item>
/// <item>persists the state and publishes the endpoints when anything changed.</item>
/// </list>
/// </remarks>
internal sealed partial class FunctionSupervisor
{
    private const string IdAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    private readonly ProcessBackend _owner;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _sync = new();
    private readonly List<Replica> _replicas = [];
    private readonly ConcurrentDictionary<string, Task> _stopping = new(StringComparer.Ordinal);

    private FunctionDeployment _deployment;
    private string _handlerAssembly;
    private int _desired;
    private long _generation;
    private DateTimeOffset _rolloutDeadline;
    private int _failures;
    private DateTimeOffset _nextLaunchAt;
    private bool _retired;
    private int _deleting;

    public FunctionSupervisor(ProcessBackend owner, FunctionRecord record)
    {
        _owner = owner;
        Name = record.Name;
        Namespace = record.Namespace;
        CreatedAt = record.CreatedAt;
        _deployment = record.Deployment;
        _handlerAssembly = record.HandlerAssembly;
        _desired = record.Replicas;
        _generation = record.Generation;
    }

    public string Name { get; }

    public string Namespace { get; }

    public string Qualified => FunctionNames.Qualified(Name, Namespace);

    public DateTimeOffset CreatedAt { get; }

    public bool IsDeleting => Volatile.Read(ref _deleting) != 0;

    private ILogger Logger => _owner.Logger;

    /// <summary>True for the first caller only.</summary>
    public bool TryMarkDeleting() => Interlocked.Exchange(ref _deleting, 1) == 0;

    /// <summary>Re-attaches to the replicas of <paramref name="record"/> that still run. Returns (adopted, lost).</summary>
    public (int Adopted, int Lost) Adopt(FunctionRecord record)
    {
        var now = _owner.Time.GetUtcNow();
        int adopted = 0, lost = 0;
        var adoptedProcesses = new List<Replica>();
        foreach (var saved in record.ReplicaSet)
        {
            var process = _owner.Launcher.TryAdopt(saved.Pid, saved.Id);
            if (process is null)
            {
                lost++;
                continue;
            }

            var replica = new Replica(saved.Id, saved.Port, saved.Generation, saved.StartedAt, process, now);
            _owner.ReservePort(replica.Port);
            adoptedProcesses.Add(replica);
            lock (_sync)
            {
                _replicas.Add(replica);
                if (replica.Generation != _generation)
                {
                    _rolloutDeadline = now + _owner.Options.ReplicaStartupTimeout;
                }
            }

            adopted++;
        }

        // Replicas a previous controller paused (warm tier) stay paused when all of them are, so
        // the next call resumes them; a mixed set is resumed now. Either way none stays stopped
        // for good: a call, a scale, an update or a stop continues them.
        var paused = adoptedProcesses.Where(r => r.Process.IsPaused).ToList();
        var keepPaused = paused.Count > 0 && paused.Count == adoptedProcesses.Count;
        foreach (var replica in adoptedProcesses)
        {
            if (keepPaused)
            {
                replica.State = ReplicaState.Paused;
            }
            else if (paused.Contains(replica))
            {
                replica.Process.Resume();
            }

            ProcessBackendLog.ReplicaTransition(Logger, replica.Id, Qualified, "(adopted)", replica.State, replica.Process.Pid, replica.Port);
            StartMonitor(replica);
        }

        lock (_sync)
        {
            _paused = keepPaused;
        }

        return (adopted, lost);
    }

    public FunctionStatus ToStatus()
    {
        lock (_sync)
        {
            var d = _deployment;
            return new FunctionStatus
            {
                Name = Name,
                Namespace = Namespace,
                Image = d.Image,
                EnvProcess = d.EnvProcess,
                EnvVars = d.EnvVars,
                Constraints = d.Constraints,
                Secrets = d.Secrets,
                Labels = d.Labels,
                Annotations = d.Annotations,
                Limits = d.Limits,
                Requests = d.Requests,
                ReadOnlyRootFilesystem = d.ReadOnlyRootFilesystem,
                Replicas = (ulong)_desired,
                AvailableReplicas = (ulong)_replicas.Count(r => r.State == ReplicaState.Ready),
                CreatedAt = CreatedAt,
            };
        }
    }

    /// <summary>The replicas that still have a process, for the CPU metric.</summary>
    public void AddProcesses(List<ReplicaProcess> into)
    {
        lock (_sync)
        {
            foreach (var r in _replicas)
            {
                if (r.State is not (ReplicaState.Failed or ReplicaState.Stopped) && r.Process.Pid > 0)
                {
                    into.Add(new ReplicaProcess(Qualified, r.Id, r.Process.Pid));
                }
            }
        }
    }

    public FunctionEndpoints ToEndpoints()
    {
        lock (_sync)
        {
            return new FunctionEndpoints
            {
                Name = Name,
                Namespace = Namespace,
                Replicas = _desired,
                Paused = _paused,
                Endpoints = _replicas
                    .Where(r => r.State == ReplicaState.Ready)
                    .OrderBy(r => r.Id, StringComparer.Ordinal)
                    .Select(r => new ReplicaEndpoint { Replica = r.Id, Url = r.Url })
                    .ToList(),
            };
        }
    }

    public FunctionRecord ToRecord()
    {
        lock (_sync)
        {
            return new FunctionRecord
            {
                Name = Name,
                Namespace = Namespace,
                Deployment = _deployment,
                HandlerAssembly = _handlerAssembly,
                Replicas = _desired,
                Generation = _generation,
                CreatedAt = CreatedAt,
                ReplicaSet = _replicas.Select(r => r.ToRecord()).ToList(),
            };
        }
    }

    /// <summary>When the next reconcile pass has timed work to do (a back-off or a roll-out deadline), if any.</summary>
    public DateTimeOffset? NextDue()
    {
        lock (_sync)
        {
            if (_retired)
            {
                return null;
            }

            DateTimeOffset? due = null;
            if (_replicas.Count(r => r.Generation == _generation) < _desired)
            {
                due = _nextLaunchAt;
            }

            if (_replicas.Any(r => r.Generation != _generation) && (due is null || _rolloutDeadline < due))
            {
                due = _rolloutDeadline;
            }

            return due;
        }
    }

    public async Task ReconcileAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await ReconcileLockedAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Rolling update: new replicas of a new generation first, the old ones go once those are ready.</summary>
    public async Task UpdateAsync(FunctionDeployment deployment, string handlerAssembly, int? minReplicas, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Accepted from here on: finish even if the caller goes away. The new generation
            // must start, so the warm tier ends here.
            ResumeLocked();
            long generation;
            lock (_sync)
            {
                _deployment = deployment;
                _handlerAssembly = handlerAssembly;
                _generation++;
                generation = _generation;
                if (minReplicas is > 0 && _desired < minReplicas)
                {
                    _desired = minReplicas.Value;
                }

                var now = _owner.Time.GetUtcNow();
                _rolloutDeadline = now + _owner.Options.ReplicaStartupTimeout;
                _failures = 0;
                _nextLaunchAt = now;
            }

            ProcessBackendLog.Updating(Logger, Qualified, deployment.Image, generation);
            await _owner.PersistAsync();
            await ReconcileLockedAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task ScaleAsync(int replicas, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Any scale request resumes paused replicas, first: the gateway's wake-up is one.
            ResumeLocked();
            int old;
            lock (_sync)
            {
                old = _desired;
                _desired = replicas;
                if (old == 0 && replicas > 0)
                {
                    // Scale from zero: someone is waiting, do not let an old back-off delay it.
                    _failures = 0;
                    _nextLaunchAt = _owner.Time.GetUtcNow();
                }
            }

            if (old != replicas)
            {
                ProcessBackendLog.Scaled(Logger, Qualified, old, replicas);
                await _owner.PersistAsync();
            }

            await ReconcileLockedAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops every replica (delete, or controller shutdown) and waits until they are gone.</summary>
    public async Task RetireAsync()
    {
        await _gate.WaitAsync();
        try
        {
            List<Replica> replicas;
            lock (_sync)
            {
                _retired = true;
                replicas = [.. _replicas];
                _replicas.Clear();
            }

            foreach (var replica in replicas)
            {
                BeginStop(replica, replica.State == ReplicaState.Failed ? TimeSpan.Zero : _owner.Options.ReplicaDrainTimeout);
            }
        }
        finally
        {
            _gate.Release();
        }

        await Task.WhenAll(_stopping.Values);
    }

    private async Task ReconcileLockedAsync()
    {
        bool replace;
        lock (_sync)
        {
            replace = _paused && _replicas.Count(r => r.Generation == _generation && r.State != ReplicaState.Failed) < _desired;
        }

        if (replace)
        {
            // A paused replica died: its replacement would start unpaused, so end the warm tier.
            ResumeLocked();
        }

        var now = _owner.Time.GetUtcNow();
        var stops = new List<(Replica Replica, TimeSpan Drain)>();
        var changed = false;
        int toLaunch;
        long generation;
        FunctionDeployment deployment;
        string handlerAssembly;

        lock (_sync)
        {
            if (_retired)
            {
                return;
            }

            // 1. Failed replicas leave; the current generation's are replaced after a back-off.
            foreach (var failed in _replicas.Where(r => r.State == ReplicaState.Failed).ToList())
            {
                _replicas.Remove(failed);
                stops.Add((failed, TimeSpan.Zero));
                changed = true;
                if (failed.Generation == _generation)
                {
                    _failures++;
                    var backoff = _owner.Timings.BackoffAfter(_failures);
                    _nextLaunchAt = now + backoff;
                    ProcessBackendLog.Backoff(Logger, Qualified, backoff, _failures);
                }
            }

            // 2. Scale down: the newest replicas go first.
            var current = _replicas.Where(r => r.Generation == _generation).OrderBy(r => r.StartedAt).ToList();
            toLaunch = 0;
            if (current.Count > _desired)
            {
                foreach (var extra in current.Skip(_desired))
                {
                    _replicas.Remove(extra);
                    stops.Add((extra, _owner.Options.ReplicaDrainTimeout));
                }

                current.RemoveRange(_desired, current.Count - _desired);
                changed = true;
            }
            else if (current.Count < _desired && now >= _nextLaunchAt)
            {
                // 3. Scale up (after the back-off, if replicas crashed).
                toLaunch = _desired - current.Count;
            }

            // 4. Roll-out: the previous generation stays until the new one serves, or time is up.
            var previous = _replicas.Where(r => r.Generation != _generation).ToList();
            if (previous.Count > 0 && (current.Count(r => r.State == ReplicaState.Ready) >= _desired || now >= _rolloutDeadline))
            {
                foreach (var old in previous)
                {
                    _replicas.Remove(old);
                    stops.Add((old, _owner.Options.ReplicaDrainTimeout));
                }

                changed = true;
            }

            generation = _generation;
            deployment = _deployment;
            handlerAssembly = _handlerAssembly;
        }

        foreach (var (replica, drain) in stops)
        {
            BeginStop(replica, drain);
        }

        for (var i = 0; i < toLaunch; i++)
        {
            Replica replica;
            try
            {
                replica = await LaunchAsync(generation, deployment, handlerAssembly, now);
            }
            catch (Exception e)
            {
                ProcessBackendLog.LaunchFailed(Logger, Qualified, e);
                lock (_sync)
                {
                    _failures++;
                    _nextLaunchAt = now + _owner.Timings.BackoffAfter(_failures);
                }

                break;
            }

            lock (_sync)
            {
                _replicas.Add(replica);
            }

            ProcessBackendLog.ReplicaTransition(Logger, replica.Id, Qualified, "(new)", ReplicaState.Starting, replica.Process.Pid, replica.Port);
            StartMonitor(replica);
            changed = true;
        }

        // 5. Persist and publish.
        if (changed)
        {
            await _owner.PersistAsync();
            _owner.PublishEndpoints();
        }
    }

    private async Task<Replica> LaunchAsync(long generation, FunctionDeployment deployment, string handlerAssembly, DateTimeOffset now)
    {
        var id = Name + "-" + RandomNumberGenerator.GetString(IdAlphabet, 5);
        var port = _owner.ReserveFreePort();
        try
        {
            var logFile = _owner.Paths.ReplicaLog(Namespace, Name, id);
            Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
            var secrets = _owner.Paths.ReplicaSecrets(Namespace, Name, id);
            await _owner.MaterializeSecretsAsync(Namespace, Name, id, deployment.Secrets, CancellationToken.None);

            var environment = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in deployment.EnvVars ?? [])
            {
                environment[key] = value;
            }

            if (!string.IsNullOrEmpty(deployment.EnvProcess))
            {
                environment["fprocess"] = deployment.EnvProcess;
            }

            // The platform's keys win over the function's envVars.
            environment["port"] = port.ToString(CultureInfo.InvariantCulture);
            environment["bind_address"] = "127.0.0.1";
            // Many replicas share this host: a fixed metrics port (watchdog default 8081) would
            // collide, so replica metrics are off; the gateway's metrics carry the load signal.
            environment["metrics_port"] = "0";
            environment["handler_assembly"] = handlerAssembly;
            environment["function_name"] = Name;
            environment["function_namespace"] = Namespace;
            environment["secrets_path"] = secrets;
            environment["log_timestamps"] = "true";
            environment["FAAS_REPLICA_ID"] = id;

            // Readiness pushed: the watchdog writes this file once ready (ReadyNotifier).
            environment["lock_file_path"] = _owner.Ready.FileFor(id);
            _ = _owner.Ready.WhenSignaled(id); // registers the waiter before the replica can signal

            var process = _owner.Launcher.Launch(new ReplicaLaunchSpec(id, Name, Namespace, port, handlerAssembly, logFile, environment));
            return new Replica(id, port, generation, now, process, now);
        }
        catch
        {
            _owner.ReleasePort(port);
            throw;
        }
    }

    /// <summary>Takes a replica out of service now and stops its process in the background (tracked in <see cref="_stopping"/>).</summary>
    private void BeginStop(Replica replica, TimeSpan drain)
    {
        lock (_sync)
        {
            if (replica.State is ReplicaState.Stopping or ReplicaState.Stopped)
            {
                return;
            }

            Transition(replica, ReplicaState.Stopping);
        }

        replica.MonitorStop.Cancel();
        _stopping[replica.Id] = StopAsync(replica, drain);
    }

    private async Task StopAsync(Replica replica, TimeSpan drain)
    {
        await Task.Yield();
        try
        {
            await replica.Process.StopAsync(drain);
        }
        catch (Exception e)
        {
            ProcessBackendLog.StopFailed(Logger, replica.Id, e);
        }

        if (replica.Monitor is { } monitor)
        {
            await monitor.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        lock (_sync)
        {
            Transition(replica, ReplicaState.Stopped);
        }

        replica.Process.Dispose();
        replica.MonitorStop.Dispose();
        _owner.Ready.Forget(replica.Id);
        _owner.ReleasePort(replica.Port);
        _owner.TryDeleteDirectory(_owner.Paths.ReplicaSecrets(Namespace, Name, replica.Id));
        _stopping.TryRemove(replica.Id, out _);
    }

    /// <summary>Call with <see cref="_sync"/> held.</summary>
    private void Transition(Replica replica, ReplicaState next)
    {
        var old = replica.State;
        replica.State = next;
        ProcessBackendLog.ReplicaTransition(Logger, replica.Id, Qualified, old.ToString(), next, replica.Process.Pid, replica.Port);
    }
}

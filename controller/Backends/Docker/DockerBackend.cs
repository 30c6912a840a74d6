using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Faas.Contracts.Endpoints;
using Faas.Contracts.Functions;
using Faas.Contracts.Json;
using Faas.Contracts.Logs;
using Faas.Controller.Configuration;
using Faas.Controller.Endpoints;
using Faas.Controller.Logs;
using Faas.Controller.Secrets;
using Faas.Docker;

namespace Faas.Controller.Backends.Docker;

/// <summary>
/// A function is N containers on the platform's bridge network, plus one never-started "spec"
/// container whose labels hold the desired state, so the engine is the only state store.
/// </summary>
/// <remarks>
/// Every change and every reconcile pass runs under one gate (changes are rare; passes are short).
/// A pass (<see cref="ReconcileAsync"/>):
/// 1. list the platform's containers; the daemon unreachable → <see cref="IsAvailable"/> false, known state kept;
/// 2. first successful pass after start: recover functions from spec containers;
/// 3. per function: remove exited replicas (replaced below), probe <c>/_/ready</c> on the bridge IP,
///    create or remove replicas of the current generation, retire older generations once the new one is ready;
/// 4. remove containers of unknown functions; publish ready replicas to the endpoint stream.
/// </remarks>
public sealed partial class DockerBackend : IFunctionBackend, IDisposable
{
    private readonly Dictionary<(string Name, string Namespace), DockerFunction> _functions = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _retiring = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly EndpointBroadcaster _endpoints = new();
    private readonly Channel<bool> _kick = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly HttpClient _probe = new(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(1) }) { Timeout = TimeSpan.FromSeconds(2) };
    private readonly ILogger _logger;
    private bool _recovered;
    private volatile bool _settled;
    private volatile bool _available = true;
    private int _disposed;
    private string _unavailableReason = "";

    public DockerBackend(ControllerOptions controllerOptions, DockerBackendOptions options, DockerClient docker, TimeProvider time, ILogger<DockerBackend> logger, ISecretStore? secrets = null)
    {
        Secrets = secrets;
        ControllerOptions = controllerOptions;
        Options = options;
        Docker = docker;
        Time = time;
        _logger = logger;
    }

    public const string BackendName = "docker";

    public string Orchestration => BackendName;

    public IEndpointSource Endpoints => _endpoints;

    /// <summary>False while the daemon does not answer; changes are then refused with 503.</summary>
    public bool IsAvailable => _available;

    internal ControllerOptions ControllerOptions { get; }

    internal DockerBackendOptions Options { get; }

    internal DockerClient Docker { get; }

    internal TimeProvider Time { get; }

    /// <summary>
    /// How often a pass runs without a kick while everything is settled: a safety net, since the
    /// daemon's container events (<see cref="DockerEventWatcher"/>) kick a pass at once.
    /// </summary>
    internal TimeSpan ReconcileInterval { get; init; } = DefaultReconcileInterval;

    internal static readonly TimeSpan DefaultReconcileInterval = TimeSpan.FromSeconds(5);

    /// <summary>How often a pass runs while something is in motion: replicas starting, a replacement due, the daemon away.</summary>
    internal TimeSpan BusyInterval { get; init; } = DefaultBusyInterval;

    internal static readonly TimeSpan DefaultBusyInterval = TimeSpan.FromMilliseconds(100);

    public Task<IReadOnlyList<FunctionStatus>> ListAsync(string @namespace, CancellationToken cancellationToken = default)
    {
        lock (_functions)
        {
            IReadOnlyList<FunctionStatus> list = _functions.Values.Where(f => f.Namespace == @namespace)
                .OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => f.ToStatus()).ToList();
            return Task.FromResult(list);
        }
    }

    public Task<FunctionStatus?> GetAsync(string name, string @namespace, CancellationToken cancellationToken = default)
    {
        lock (_functions)
        {
            return Task.FromResult(_functions.GetValueOrDefault((name, @namespace))?.ToStatus());
        }
    }

    public Task<BackendResult> DeployAsync(FunctionDeployment deployment, CancellationToken cancellationToken = default) =>
        ChangeAsync(async () =>
        {
            var ns = deployment.Namespace ?? ControllerOptions.FunctionNamespace;
            if (Find(deployment.Service, ns) is not null)
            {
                return BackendResult.Conflict($"function '{deployment.Service}' already exists in namespace '{ns}'; use PUT to update it");
            }

            if (await ValidateAsync(deployment, cancellationToken) is { } invalid)
            {
                return invalid;
            }

            await EnsureNetworkAsync(cancellationToken);
            var function = new DockerFunction
            {
                Name = deployment.Service,
                Namespace = ns,
                Deployment = deployment with { Namespace = ns },
                Replicas = ScaleLabels.InitialReplicas(deployment.Labels, out _) ?? 1,
                Generation = 1,
                CreatedAt = Time.GetUtcNow(),
                GenerationStartedAt = Time.GetUtcNow(),
            };
            await SyncSecretsAsync(function, cancellationToken);
            await WriteSpecAsync(function, cancellationToken);
            lock (_functions)
            {
                _functions[(function.Name, ns)] = function;
            }

            DockerBackendLog.Deployed(_logger, Qualified(function), deployment.Image, function.Replicas);
            Applied();
            return BackendResult.Accepted;
        });

    public Task<BackendResult> UpdateAsync(FunctionDeployment deployment, CancellationToken cancellationToken = default) =>
        ChangeAsync(async () =>
        {
            var ns = deployment.Namespace ?? ControllerOptions.FunctionNamespace;
            if (Find(deployment.Service, ns) is not { } function)
            {
                return NotFound(deployment.Service, ns);
            }

            if (await ValidateAsync(deployment, cancellationToken) is { } invalid)
            {
                return invalid;
            }

            await ResumeLockedAsync(function, "updated", cancellationToken);
            function.Deployment = deployment with { Namespace = ns };
            if (deployment.Labels?.ContainsKey(ScaleLabels.Min) == true && ScaleLabels.InitialReplicas(deployment.Labels, out _) is { } min)
            {
                function.Replicas = min;
            }

            // Rolling: a new generation starts; the old one goes once it is ready (ReconcileAsync).
            function.Generation++;
            function.GenerationStartedAt = Time.GetUtcNow();
            await SyncSecretsAsync(function, cancellationToken);
            await WriteSpecAsync(function, cancellationToken);
            Applied();
            return BackendResult.Accepted;
        });

    public Task<BackendResult> ScaleAsync(string name, string @namespace, int replicas, CancellationToken cancellationToken = default) =>
        ChangeAsync(async () =>
        {
            if (Find(name, @namespace) is not { } function)
            {
                return NotFound(name, @namespace);
            }

            // Any scale request wakes the warm tier (the gateway's scale-from-zero ask included).
            await ResumeLockedAsync(function, "scaled", cancellationToken);
            if (function.Replicas != replicas)
            {
                function.Replicas = replicas;

                // A wake starts the standby now, while the spec is written, not after it in the next pass.
                WakeStandbyEarly(function);
                await WriteSpecAsync(function, cancellationToken);
                Applied();
            }

            return BackendResult.Accepted;
        });

    public Task<BackendResult> DeleteAsync(string name, string @namespace, CancellationToken cancellationToken = default) =>
        ChangeAsync(async () =>
        {
            if (Find(name, @namespace) is not { } function)
            {
                return NotFound(name, @namespace);
            }

            // The spec goes first: a crash half-way leaves replicas the next pass removes as orphans.
            if (function.SpecContainerId is { } spec)
            {
                await RemoveContainerAsync(spec, cancellationToken);
            }

            lock (_functions)
            {
                _functions.Remove((name, @namespace));
            }

            foreach (var container in await ListOwnAsync(cancellationToken))
            {
                if (Label(container, DockerLabels.Function) == name && Label(container, DockerLabels.Namespace) == @namespace)
                {
                    await UnpauseIfPausedAsync(container, cancellationToken);
                    await RemoveContainerAsync(container.Id, cancellationToken);
                }
            }

            RemoveSecretsFolder(@namespace, name);
            await RemoveNetworkIfEmptyAsync(cancellationToken);
            PublishEndpoints();
            DockerBackendLog.Deleted(_logger, $"{name}.{@namespace}");
            return BackendResult.Accepted;
        });

    public IAsyncEnumerable<LogMessage> ReadLogsAsync(LogQuery query, CancellationToken cancellationToken = default) =>
        DockerLogs.ReadAsync(this, query, cancellationToken);

    /// <summary>The running replica containers of a function as last observed.</summary>
    internal IReadOnlyList<ObservedReplica> ReplicasOf(string name, string @namespace)
    {
        lock (_functions)
        {
            return _functions.GetValueOrDefault((name, @namespace))?.Observed.ToList() ?? [];
        }
    }

    internal bool Exists(string name, string @namespace)
    {
        lock (_functions)
        {
            return _functions.ContainsKey((name, @namespace));
        }
    }

    /// <summary>Asks the reconcile loop for a pass soon.</summary>
    internal void Kick() => _kick.Writer.TryWrite(true);

    /// <summary>
    /// After a change is recorded in the spec container: the new desired count goes to the endpoint
    /// stream now, the containers follow in the loop's next pass. The change call does not wait for
    /// container creation, so a slow daemon cannot push it past a caller's timeout (the gateway's
    /// scale-from-zero ask) and a cancelled call cannot stop a pass half-way.
    /// </summary>
    private void Applied()
    {
        PublishEndpoints();
        Kick();
    }

    internal async Task WaitForWorkAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_available && _settled ? ReconcileInterval : BusyInterval);
        await ((Task)_kick.Reader.WaitToReadAsync(timeout.Token).AsTask()).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
        _kick.Reader.TryRead(out _);
    }

    public void Dispose()
    {
        // The container may dispose the backend once per service it is registered as.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stopping.Cancel();
        _stopping.Dispose();
        _probe.Dispose();
        _startProbe.Dispose();
        _gate.Dispose();
    }

    private async Task<BackendResult> ChangeAsync(Func<Task<BackendResult>> change)
    {
        await _gate.WaitAsync();
        try
        {
            return await change();
        }
        catch (DockerUnavailableException e)
        {
            SetAvailable(false, e.Message);
            return BackendResult.Unavailable(UnavailableMessage());
        }
        finally
        {
            _gate.Release();
        }
    }

    private string UnavailableMessage() =>
        $"the Docker daemon at {Options.Endpoint} is unavailable ({_unavailableReason}); known functions keep serving, retry when it is back";

    private async Task<BackendResult?> ValidateAsync(FunctionDeployment deployment, CancellationToken cancellationToken)
    {
        if (deployment.Limits?.Memory is { } memory && !Quantities.TryMemory(memory, out _))
        {
            return BackendResult.Invalid($"limits.memory '{memory}' is invalid: use a quantity such as 128Mi or 1G");
        }

        if (deployment.Limits?.Cpu is { } cpu && !Quantities.TryCpu(cpu, out _))
        {
            return BackendResult.Invalid($"limits.cpu '{cpu}' is invalid: use a quantity such as 500m or 1");
        }

        if (deployment.Labels?.GetValueOrDefault(StandbyLabel) is { } standby && !bool.TryParse(standby, out _))
        {
            return BackendResult.Invalid($"label {StandbyLabel} '{standby}' is invalid: use true or false");
        }

        if (!_available)
        {
            // Probe once: the daemon may be back before the next pass noticed.
            await Docker.System.PingAsync(cancellationToken);
            SetAvailable(true, "ping answered");
        }

        try
        {
            await Docker.Images.InspectImageAsync(deployment.Image, cancellationToken);
            return null;
        }
        catch (DockerNotFoundException e)
        {
            return BackendResult.Invalid(
                $"image '{deployment.Image}' is not on the Docker daemon ({e.DaemonMessage ?? e.Message}); build it first (faas-cli build), no registry is configured to pull from");
        }
    }

    private async Task EnsureNetworkAsync(CancellationToken cancellationToken)
    {
        var networks = await Docker.Networks.ListNetworksAsync(null, cancellationToken);
        if (networks.Any(n => n.Name == Options.Network))
        {
            return;
        }

        try
        {
            await Docker.Networks.CreateNetworkAsync(new NetworkCreateParameters
            {
                Name = Options.Network,
                Driver = "bridge",
                Labels = new Dictionary<string, string> { [DockerLabels.Role] = "network" },
            }, cancellationToken);
        }
        catch (DockerConflictException)
        {
            // Created meanwhile.
        }
    }

    private async Task RemoveNetworkIfEmptyAsync(CancellationToken cancellationToken)
    {
        lock (_functions)
        {
            if (_functions.Count > 0)
            {
                return;
            }
        }

        try
        {
            var network = await Docker.Networks.InspectNetworkAsync(Options.Network, cancellationToken);
            if (network.Containers is null || network.Containers.Count == 0)
            {
                await Docker.Networks.DeleteNetworkAsync(Options.Network, cancellationToken);
            }
        }
        catch (Exception e) when (e is DockerNotFoundException or DockerConflictException or DockerServerException)
        {
            // Gone already, or a container joined meanwhile.
        }
    }

    /// <summary>Replaces the function's spec container with one carrying its current desired state.</summary>
    private async Task WriteSpecAsync(DockerFunction function, CancellationToken cancellationToken)
    {
        function.Revision++;
        var parameters = ContainerSpec.Spec(function.Deployment, function.Namespace, $"{function.Name}-spec-{RandomSuffix()}", function.Generation, function.Replicas, function.CreatedAt);
        parameters.Labels![DockerLabels.Network] = Options.Network;
        parameters.Labels!["com.faas.revision"] = function.Revision.ToString(CultureInfo.InvariantCulture);
        parameters.Labels["com.faas.generation.started"] = function.GenerationStartedAt.ToString("O", CultureInfo.InvariantCulture);
        var created = await Docker.Containers.CreateContainerAsync(parameters, cancellationToken);
        var old = function.SpecContainerId;
        function.SpecContainerId = created.Id;
        if (old is not null)
        {
            await RemoveContainerAsync(old, cancellationToken);
        }
    }

    private async Task RemoveContainerAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await Docker.Containers.RemoveContainerAsync(id, force: true, cancellationToken: cancellationToken);
        }
        catch (DockerNotFoundException)
        {
            // Already gone.
        }
        catch (DockerConflictException)
        {
            // Removal already in progress.
        }
    }

    private async Task<IReadOnlyList<ContainerSummary>> ListOwnAsync(CancellationToken cancellationToken) =>
        await Docker.Containers.ListContainersAsync(new ContainerListParameters
        {
            All = true,
            Filters = new Dictionary<string, IList<string>> { ["label"] = [DockerLabels.Function, $"{DockerLabels.Network}={Options.Network}"] },
        }, cancellationToken);

    private DockerFunction? Find(string name, string @namespace)
    {
        lock (_functions)
        {
            return _functions.GetValueOrDefault((name, @namespace));
        }
    }

    private void SetAvailable(bool available, string reason)
    {
        if (_available != available)
        {
            DockerBackendLog.Availability(_logger, _available, available, reason);
        }

        _unavailableReason = reason;
        _available = available;
    }

    private void PublishEndpoints()
    {
        List<FunctionEndpoints> table;
        lock (_functions)
        {
            table = _functions.Values
                .OrderBy(f => f.Namespace, StringComparer.Ordinal).ThenBy(f => f.Name, StringComparer.Ordinal)
                .Select(f => new FunctionEndpoints
                {
                    Name = f.Name,
                    Namespace = f.Namespace,
                    Replicas = f.Replicas,
                    Paused = f.Paused,
                    Endpoints = f.Observed.Where(r => !f.Paused && r.Ready && r.Address is not null)
                        .OrderBy(r => r.ReplicaId, StringComparer.Ordinal)
                        .Select(r => new ReplicaEndpoint { Replica = r.ReplicaId, Url = $"http://{r.Address}:{Options.WatchdogPort}" })
                        .ToList(),
                })
                .ToList();

            // Inside the lock: a pass and a start probe publishing at once must not swap in an older table last.
            _endpoints.Publish(table);
        }
    }

    private static BackendResult NotFound(string name, string ns) => BackendResult.NotFound($"function '{name}' not found in namespace '{ns}'");

    private static string Qualified(DockerFunction f) => $"{f.Name}.{f.Namespace}";

    private static string? Label(ContainerSummary container, string key) => container.Labels?.GetValueOrDefault(key);

    private static string RandomSuffix()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        return string.Create(5, 0, static (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[Random.Shared.Next(alphabet.Length)];
            }
        });
    }

    private static FunctionDeployment? ParseDeployment(string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(json, FaasJsonContext.Default.FunctionDeployment);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

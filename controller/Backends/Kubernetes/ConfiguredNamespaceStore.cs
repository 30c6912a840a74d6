using Faas.Contracts.System;
using Faas.Controller.Namespaces;
using Faas.Kubernetes;

namespace Faas.Controller.Backends.Kubernetes;

/// <summary>
/// <c>kubernetes_namespaces=configured</c>: the function namespaces are those of
/// <c>extra_function_namespaces</c> that carry the opt-in annotation. The chart (clusterRole=false) grants
/// <c>get</c> on exactly those Namespaces and nothing cluster-wide, so they are read one by one on start-up
/// and every <see cref="KubernetesBackendOptions.NamespaceRefreshInterval"/> (no watch: that would need
/// list/watch on all Namespaces). Creating, changing or deleting namespaces needs cluster-wide rights: refused
/// with 403 and what to change.
/// </summary>
public sealed partial class ConfiguredNamespaceStore(
    KubernetesBackendOptions options,
    KubernetesClient client,
    ILogger<ConfiguredNamespaceStore> logger) : BackgroundService, INamespaceStore
{
    private volatile Snapshot _snapshot = Snapshot.Unknown(options.ExtraNamespaces);

    /// <summary>How long start-up waits for the first read (the app serves either way).</summary>
    internal TimeSpan StartupWait { get; init; } = TimeSpan.FromSeconds(5);

    public IReadOnlyList<FunctionNamespace> List() => _snapshot.OptedIn;

    public FunctionNamespace? Get(string name) => _snapshot.OptedIn.FirstOrDefault(n => n.Name == name);

    public string? Explain(string name)
    {
        if (!_snapshot.Problems.TryGetValue(name, out var problem))
        {
            return $"namespace '{name}' is not a function namespace: list it in extra_function_namespaces (chart: functionNamespace.extra) and annotate it {NamespaceObjects.OptInKey}={NamespaceObjects.OptInValue}, or install the chart with clusterRole=true to opt namespaces in by annotation alone";
        }

        return problem.Unavailable ? throw new BackendException(BackendResult.Unavailable(problem.Message)) : problem.Message;
    }

    public Task<bool> CreateAsync(FunctionNamespace ns, CancellationToken cancellationToken = default) => throw NeedsClusterRole("created", ns.Name);

    public Task<bool> UpdateAsync(FunctionNamespace ns, CancellationToken cancellationToken = default) => throw NeedsClusterRole("changed", ns.Name);

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default) => throw NeedsClusterRole("deleted", name);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Read once before serving, so the first deploy into an opted-in namespace is not refused for want of a read.
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(StartupWait);
        try
        {
            await RefreshAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Still unknown: requests naming these namespaces get 503 until a later read succeeds.
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.ExtraNamespaces.Count == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.NamespaceRefreshInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RefreshAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Reads every listed Namespace; a transient failure keeps what was known about that one.</summary>
    internal async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var previous = _snapshot;
        var optedIn = new List<FunctionNamespace>();
        var problems = new Dictionary<string, Problem>(StringComparer.Ordinal);
        foreach (var name in options.ExtraNamespaces)
        {
            try
            {
                var ns = await client.Namespaces.GetAsync(name, cancellationToken);
                if (!NamespaceObjects.IsLive(ns))
                {
                    problems[name] = new Problem($"namespace '{name}' is being deleted", false);
                }
                else if (NamespaceObjects.IsOptedIn(ns))
                {
                    optedIn.Add(NamespaceObjects.ToFunctionNamespace(ns));
                }
                else
                {
                    problems[name] = new Problem(NamespaceObjects.NotOptedIn(name), false);
                }
            }
            catch (KubernetesNotFoundException)
            {
                problems[name] = new Problem($"namespace '{name}' (extra_function_namespaces) does not exist: `kubectl create namespace {name}` and `kubectl annotate namespace {name} {NamespaceObjects.OptInKey}={NamespaceObjects.OptInValue}`", false);
            }
            catch (KubernetesForbiddenException e)
            {
                problems[name] = new Problem(
                    $"the controller may not read namespace '{name}' to check its opt-in annotation (the chart grants get on the namespaces in functionNamespace.extra): the Kubernetes API refused: {e.ServerMessage ?? e.Message}", false);
            }
            catch (KubernetesException e)
            {
                // Unreachable or failing: keep the last answer for this one; unknown ones answer 503.
                Log.ReadFailed(logger, name, e.Message);
                if (previous.OptedIn.FirstOrDefault(n => n.Name == name) is { } known)
                {
                    optedIn.Add(known);
                }
                else
                {
                    problems[name] = previous.Problems.GetValueOrDefault(name) is { Unavailable: false } knownProblem
                        ? knownProblem
                        : new Problem($"namespace '{name}' could not be read from the Kubernetes API yet: {e.Message}", true);
                }
            }
        }

        var next = new Snapshot(optedIn.OrderBy(n => n.Name, StringComparer.Ordinal).ToList(), problems);
        _snapshot = next;
        foreach (var name in options.ExtraNamespaces)
        {
            var was = previous.OptedIn.Any(n => n.Name == name);
            var now = next.OptedIn.Any(n => n.Name == name);
            if (was != now)
            {
                Log.OptInChanged(logger, name, was, now);
            }
        }
    }

    private static BackendException NeedsClusterRole(string change, string name) => new(BackendResult.Forbidden(
        $"namespace '{name}' cannot be {change} through the API: with kubernetes_namespaces=configured (the chart's clusterRole=false) the controller has no cluster-wide rights. "
        + $"Install the chart with clusterRole=true, or manage it with kubectl (`kubectl create namespace {name}`, `kubectl annotate namespace {name} {NamespaceObjects.OptInKey}={NamespaceObjects.OptInValue}`) and list it in functionNamespace.extra"));

    private sealed record Problem(string Message, bool Unavailable);

    private sealed record Snapshot(IReadOnlyList<FunctionNamespace> OptedIn, IReadOnlyDictionary<string, Problem> Problems)
    {
        public static Snapshot Unknown(IReadOnlyList<string> names) => new([],
            names.ToDictionary(n => n, n => new Problem($"namespace '{n}' has not been read from the Kubernetes API yet", true), StringComparer.Ordinal));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7231, Level = LogLevel.Warning, Message = "Could not read namespace {Namespace}: {Reason}")]
        public static partial void ReadFailed(ILogger logger, string @namespace, string reason);

        [LoggerMessage(EventId = 7232, Level = LogLevel.Information, Message = "Namespace {Namespace} opted in: {Old} -> {New}")]
        public static partial void OptInChanged(ILogger logger, string @namespace, bool old, bool @new);
    }
}

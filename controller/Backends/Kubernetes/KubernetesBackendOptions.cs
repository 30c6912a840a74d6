using Faas.Contracts.Naming;
using Faas.Controller.Configuration;
using Faas.Kubernetes;

namespace Faas.Controller.Backends.Kubernetes;

/// <summary>
/// Keys of the Kubernetes backend (read only when <c>backend=kubernetes</c>), validated at start-up.
/// The function namespace itself is the controller's <c>function_namespace</c> (default openfaas-fn).
/// </summary>
public sealed record KubernetesBackendOptions
{
    /// <summary>The port the watchdog listens on in every function pod (the Service targets it).</summary>
    public const int DefaultWatchdogPort = 8080;

    /// <summary>How the controller reaches the API server: a kubeconfig or the pod's service account.</summary>
    public required KubernetesClientConfiguration Client { get; init; }

    /// <summary>
    /// <c>extra_function_namespaces</c> (comma-separated, as the chart sets it; configured mode only):
    /// namespaces besides <c>function_namespace</c> that functions may use once annotated <c>openfaas=1</c>.
    /// The chart grants the controller a Role in each and <c>get</c> on exactly these Namespaces.
    /// </summary>
    public IReadOnlyList<string> ExtraNamespaces { get; init; } = [];

    /// <summary><c>kubernetes_namespaces</c>: how function namespaces are found (see <see cref="KubernetesNamespaceMode"/>).</summary>
    public KubernetesNamespaceMode NamespaceMode { get; init; } = KubernetesNamespaceMode.Configured;

    /// <summary>Configured mode: how often the listed namespaces' opt-in annotation is read again.</summary>
    public TimeSpan NamespaceRefreshInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The port replicas are reached on; tests point it at local processes that stand in for pods.</summary>
    public int WatchdogPort { get; init; } = DefaultWatchdogPort;

    public static KubernetesBackendOptions Load(IConfiguration configuration, ControllerOptions controller)
    {
        var errors = new List<string>();
        var kubeconfig = configuration["kubeconfig"]?.Trim();
        KubernetesClientConfiguration? client = null;
        try
        {
            // kubeconfig set: that file; else in a pod: the service account; else $KUBECONFIG or ~/.kube/config.
            client = !string.IsNullOrEmpty(kubeconfig) ? KubernetesClientConfiguration.FromKubeConfigFile(kubeconfig)
                : KubernetesClientConfiguration.IsInCluster() ? KubernetesClientConfiguration.InCluster()
                : KubernetesClientConfiguration.FromKubeConfigFile();
            var problems = client.Validate();
            errors.AddRange(problems.Select(p => $"kubernetes client: {p}"));
        }
        catch (Exception e) when (e is KubeConfigException or IOException or FormatException or InvalidOperationException or ArgumentException or UnauthorizedAccessException or NotSupportedException)
        {
            errors.Add(string.IsNullOrEmpty(kubeconfig)
                ? $"backend=kubernetes needs the API server: not in a cluster (no KUBERNETES_SERVICE_HOST) and no usable kubeconfig ({e.Message}); set kubeconfig=<path>"
                : $"kubeconfig '{kubeconfig}' is not usable: {e.Message}");
        }

        var extra = new List<string>();
        foreach (var raw in (configuration["extra_function_namespaces"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (NamespacePolicy.ValidateNewName(raw) is { } invalid)
            {
                errors.Add($"extra_function_namespaces: {invalid}");
            }
            else if (raw != controller.FunctionNamespace && !extra.Contains(raw))
            {
                extra.Add(raw);
            }
        }

        var modeText = configuration["kubernetes_namespaces"]?.Trim();
        var mode = KubernetesNamespaceMode.Configured;
        if (!string.IsNullOrEmpty(modeText) && !TryParseMode(modeText, out mode))
        {
            errors.Add($"kubernetes_namespaces '{modeText}' is not a mode: use configured (extra_function_namespaces, no cluster-wide rights) or annotation (every Namespace annotated openfaas=1; needs the chart's clusterRole=true)");
        }
        else if (mode == KubernetesNamespaceMode.Annotation && extra.Count > 0)
        {
            errors.Add($"extra_function_namespaces ({string.Join(",", extra)}) is for kubernetes_namespaces=configured: with annotation, opt a namespace in with `kubectl annotate namespace <name> openfaas=1` or `faas-cli namespace create <name>`");
        }

        var portText = configuration["kubernetes_watchdog_port"];
        var port = DefaultWatchdogPort;
        if (!string.IsNullOrWhiteSpace(portText) && (!int.TryParse(portText, out port) || port is < 1 or > 65535))
        {
            errors.Add($"kubernetes_watchdog_port '{portText}' is not a port: use 1-65535 (default {DefaultWatchdogPort})");
        }

        if (errors.Count > 0)
        {
            throw new ControllerOptionsException(errors);
        }

        return new KubernetesBackendOptions { Client = client!, ExtraNamespaces = extra, NamespaceMode = mode, WatchdogPort = port };
    }

    private static bool TryParseMode(string text, out KubernetesNamespaceMode mode)
    {
        mode = text.ToLowerInvariant() switch
        {
            "configured" => KubernetesNamespaceMode.Configured,
            "annotation" => KubernetesNamespaceMode.Annotation,
            _ => (KubernetesNamespaceMode)(-1),
        };
        return Enum.IsDefined(mode);
    }
}

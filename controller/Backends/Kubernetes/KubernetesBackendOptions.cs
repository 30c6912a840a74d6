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
    /// <c>extra_function_namespaces</c> (comma-separated, as the chart sets it): namespaces besides
    /// <c>function_namespace</c> that functions may use. The chart grants the controller a Role in each;
    /// opting in by namespace annotation would need a ClusterRole to read namespaces, which the chart avoids.
    /// </summary>
    public IReadOnlyList<string> ExtraNamespaces { get; init; } = [];

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

        return new KubernetesBackendOptions { Client = client!, ExtraNamespaces = extra, WatchdogPort = port };
    }
}

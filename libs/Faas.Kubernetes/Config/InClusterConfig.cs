using System.Security.Cryptography.X509Certificates;

namespace Faas.Kubernetes;

/// <summary>Configuration from the service account Kubernetes mounts into every pod.</summary>
internal static class InClusterConfig
{
    public const string DefaultAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    public static bool IsAvailable(Func<string, string?>? getVariable, string? accountDirectory)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        return !string.IsNullOrEmpty(getVariable("KUBERNETES_SERVICE_HOST"))
            && File.Exists(Path.Combine(accountDirectory ?? DefaultAccountDirectory, "token"));
    }

    public static KubernetesClientConfiguration Load(Func<string, string?>? getVariable, string? accountDirectory)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var directory = accountDirectory ?? DefaultAccountDirectory;
        var host = getVariable("KUBERNETES_SERVICE_HOST");
        var port = getVariable("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new InvalidOperationException(
                "Not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must both be set.");
        }

        var tokenPath = Path.Combine(directory, "token");
        if (!File.Exists(tokenPath))
        {
            throw new InvalidOperationException($"Not running in a cluster: the service-account token {tokenPath} is missing.");
        }

        // An IPv6 service address needs brackets in a URI.
        var server = new Uri($"https://{(host.Contains(':') ? $"[{host}]" : host)}:{port}");
        var caPath = Path.Combine(directory, "ca.crt");
        X509Certificate2Collection? ca = null;
        if (File.Exists(caPath))
        {
            ca = [];
            ca.ImportFromPemFile(caPath);
        }

        var namespacePath = Path.Combine(directory, "namespace");
        var ns = File.Exists(namespacePath) ? File.ReadAllText(namespacePath).Trim() : "";
        return new KubernetesClientConfiguration
        {
            Server = server,
            TokenSource = new FileTokenSource(tokenPath),
            CaCertificates = ca,
            Namespace = ns.Length > 0 ? ns : "default",
        };
    }
}

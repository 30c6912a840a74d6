using System.Security.Cryptography.X509Certificates;

namespace Faas.Kubernetes;

/// <summary>
/// Where the API server is and how to authenticate to it. Built from a kubeconfig file
/// (<see cref="KubeConfigLoader"/>), from the pod's service account (<see cref="InCluster"/>), or by hand.
/// </summary>
public sealed record KubernetesClientConfiguration
{
    /// <summary>The API server's base address, e.g. <c>https://127.0.0.1:6443</c>.</summary>
    public required Uri Server { get; init; }

    /// <summary>Static bearer token; ignored when <see cref="TokenSource"/> is set.</summary>
    public string? AccessToken { get; init; }

    /// <summary>Re-readable bearer token (in-cluster: the projected service-account token).</summary>
    public ITokenSource? TokenSource { get; init; }

    /// <summary>HTTP basic credentials (kubeconfig username/password); rarely enabled on servers.</summary>
    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>Client certificate with its private key, for x509 authentication.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>Certificates trusted to sign the server's certificate; the system store when empty.</summary>
    public X509Certificate2Collection? CaCertificates { get; init; }

    /// <summary>Accept any server certificate (kubeconfig insecure-skip-tls-verify). For tests only.</summary>
    public bool SkipTlsVerify { get; init; }

    /// <summary>The namespace of the current context (or of the pod); "default" when none is given.</summary>
    public string Namespace { get; init; } = "default";

    /// <summary>How long a plain request may take before the server is reported unavailable. Default 30 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Loads the kubeconfig named by <c>KUBECONFIG</c> (first file) or <c>~/.kube/config</c>, using
    /// <paramref name="context"/> or its current context.
    /// </summary>
    public static KubernetesClientConfiguration FromKubeConfigFile(string? path = null, string? context = null) =>
        KubeConfigLoader.LoadFile(path ?? KubeConfigLoader.DefaultPath(), context);

    /// <summary>The pod's service account: token and CA from <c>/var/run/secrets/kubernetes.io/serviceaccount</c>.</summary>
    public static KubernetesClientConfiguration InCluster(Func<string, string?>? getVariable = null, string? accountDirectory = null) =>
        InClusterConfig.Load(getVariable, accountDirectory);

    /// <summary>True when running in a pod (KUBERNETES_SERVICE_HOST is set and the token file exists).</summary>
    public static bool IsInCluster(Func<string, string?>? getVariable = null, string? accountDirectory = null) =>
        InClusterConfig.IsAvailable(getVariable, accountDirectory);

    /// <summary>Every problem with this configuration, each naming the field and what to fix.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Server is null || !Server.IsAbsoluteUri || (Server.Scheme != Uri.UriSchemeHttps && Server.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"Server '{Server}' must be an absolute http or https address.");
        }

        if (ClientCertificate is not null && !ClientCertificate.HasPrivateKey)
        {
            errors.Add("ClientCertificate has no private key; load it together with its key.");
        }

        if ((Username is null) != (Password is null))
        {
            errors.Add("Username and Password must be given together.");
        }

        if (RequestTimeout <= TimeSpan.Zero && RequestTimeout != Timeout.InfiniteTimeSpan)
        {
            errors.Add($"RequestTimeout '{RequestTimeout}' must be positive (or Timeout.InfiniteTimeSpan).");
        }

        if (string.IsNullOrWhiteSpace(Namespace))
        {
            errors.Add("Namespace must not be empty.");
        }

        return errors;
    }
}

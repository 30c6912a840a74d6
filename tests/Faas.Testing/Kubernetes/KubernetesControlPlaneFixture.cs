using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Faas.Kubernetes;
using Faas.Testing.Net;
using Microsoft.Extensions.Logging;

namespace Faas.Testing.Kubernetes;

/// <summary>
/// A real Kubernetes control plane on loopback for the integration tests: etcd, kube-apiserver (token and
/// client-certificate auth, Node+RBAC authorization, watch cache off so old versions really expire) and
/// kube-controller-manager (Deployments get ReplicaSets and Pods; the Pods stay Pending: there is no
/// scheduler or kubelet; a test plays kubelet with <see cref="FakeKubelet"/>). Everything lives in one temp folder; on dispose each process is stopped by its PID
/// and the folder deleted. Binaries come from scripts/kube/build-kube.sh (built on first use).
/// </summary>
public sealed class KubernetesControlPlaneFixture : IAsyncLifetime
{
    /// <summary>Bearer token of a cluster admin (group system:masters).</summary>
    public const string AdminToken = "faas-admin-token";

    /// <summary>Bearer token of an authenticated user that RBAC grants nothing.</summary>
    public const string LimitedToken = "faas-limited-token";

    public const string LimitedUser = "faas-limited";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(240);

    private readonly List<ControlPlaneProcess> _processes = [];
    private bool _disposed;

    public Uri Server { get; private set; } = null!;

    /// <summary>etcd's client address (its v3 JSON gateway answers here too).</summary>
    public Uri EtcdServer { get; private set; } = null!;

    /// <summary>A kubeconfig with the admin token (for kubectl and other tools).</summary>
    public string KubeconfigPath { get; private set; } = "";

    /// <summary>A kubeconfig with the admin client certificate instead of a token.</summary>
    public string CertificateKubeconfigPath { get; private set; } = "";

    public string CaPem { get; private set; } = "";

    public string WorkDirectory { get; private set; } = "";

    public KubernetesClient Client { get; private set; } = null!;

    /// <summary>The test CA and certificates, for <see cref="FakeKubelet"/>.</summary>
    internal TestPki Pki { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        try
        {
            var binaries = await KubeBinaries.EnsureAsync(CancellationToken.None);
            using var timeout = new CancellationTokenSource(StartTimeout);
            await StartAsync(binaries, timeout.Token);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>A client for this server with <paramref name="token"/> (admin by default) and its CA.</summary>
    public KubernetesClient CreateClient(string? token = AdminToken, Uri? server = null, ILogger<KubernetesClient>? logger = null) =>
        new(Configuration(token, server), logger);

    public KubernetesClientConfiguration Configuration(string? token = AdminToken, Uri? server = null)
    {
        X509Certificate2Collection ca = [];
        ca.ImportFromPem(CaPem);
        return new KubernetesClientConfiguration { Server = server ?? Server, AccessToken = token, CaCertificates = ca };
    }

    /// <summary>A fresh namespace name for one test (tests run in parallel and must not share objects).</summary>
    public static string NewNamespaceName(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Sends a raw JSON request as admin (for kinds the client does not model, e.g. RBAC objects).</summary>
    public Task<string> SendRawAsync(HttpMethod method, string path, string? json, CancellationToken cancellationToken) =>
        SendRawAsync(method, path, json, "application/json", cancellationToken);

    /// <summary>As above with the body's content type (e.g. <c>application/merge-patch+json</c> for a PATCH).</summary>
    public async Task<string> SendRawAsync(HttpMethod method, string path, string? json, string contentType, CancellationToken cancellationToken)
    {
        using var http = AdminHttp();
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {body}");
        }

        return body;
    }

    /// <summary>
    /// Compacts etcd up to its current revision, so every older resourceVersion is gone: a watch resuming
    /// from one gets 410 Gone (the API server runs without a watch cache).
    /// </summary>
    public async Task CompactEtcdAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = EtcdServer };
        var key = Convert.ToBase64String("/"u8.ToArray());
        using var range = await http.PostAsync("/v3/kv/range", new StringContent($"{{\"key\":\"{key}\",\"limit\":1}}"), cancellationToken);
        range.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await range.Content.ReadAsStringAsync(cancellationToken));
        var revision = document.RootElement.GetProperty("header").GetProperty("revision").GetString();
        using var compact = await http.PostAsync("/v3/kv/compaction", new StringContent($"{{\"revision\":\"{revision}\",\"physical\":true}}"), cancellationToken);
        var body = await compact.Content.ReadAsStringAsync(cancellationToken);
        if (!compact.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"etcd compaction to {revision} failed: {body}");
        }
    }

    /// <summary>The last lines of each process's output, for failure messages.</summary>
    public string LogTails() =>
        string.Join("\n", _processes.Select(process => $"--- {process.Name} (pid {process.Pid}, exited {process.HasExited}) ---\n{process.LogTail()}"));

    public async Task DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Client?.Dispose();
        // Reverse order: controller-manager, API server, etcd.
        for (var i = _processes.Count - 1; i >= 0; i--)
        {
            await _processes[i].DisposeAsync();
        }

        if (WorkDirectory.Length > 0)
        {
            try
            {
                Directory.Delete(WorkDirectory, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }

    private async Task StartAsync(string binaries, CancellationToken cancellationToken)
    {
        WorkDirectory = Directory.CreateTempSubdirectory("faas-kube-").FullName;
        var pki = await TestPki.CreateAsync(Path.Combine(WorkDirectory, "pki"), cancellationToken);
        Pki = pki;
        CaPem = await File.ReadAllTextAsync(pki.CaCert, cancellationToken);

        // 1. etcd
        var etcdPort = TestPorts.Next();
        var peerPort = TestPorts.Next();
        EtcdServer = new Uri($"http://127.0.0.1:{etcdPort}");
        var etcd = Start("etcd", FindExecutable("etcd"),
        [
            "--name", "faas-test",
            "--data-dir", Path.Combine(WorkDirectory, "etcd"),
            "--listen-client-urls", EtcdServer.ToString().TrimEnd('/'),
            "--advertise-client-urls", EtcdServer.ToString().TrimEnd('/'),
            "--listen-peer-urls", $"http://127.0.0.1:{peerPort}",
            "--initial-advertise-peer-urls", $"http://127.0.0.1:{peerPort}",
            "--initial-cluster", $"faas-test=http://127.0.0.1:{peerPort}",
            "--logger", "zap",
            "--log-level", "warn",
        ]);
        await WaitUntilAsync(etcd, async () =>
        {
            using var http = new HttpClient { BaseAddress = EtcdServer, Timeout = TimeSpan.FromSeconds(2) };
            using var response = await http.GetAsync("/health", cancellationToken);
            return response.IsSuccessStatusCode;
        }, cancellationToken);

        // 2. kube-apiserver
        var tokens = Path.Combine(WorkDirectory, "tokens.csv");
        await File.WriteAllTextAsync(tokens,
            $"{AdminToken},faas-admin,faas-admin-uid,\"system:masters\"\n{LimitedToken},{LimitedUser},faas-limited-uid\n", cancellationToken);
        var port = TestPorts.Next();
        Server = new Uri($"https://127.0.0.1:{port}");
        var apiserver = Start("kube-apiserver", Path.Combine(binaries, "kube-apiserver"),
        [
            "--etcd-servers", EtcdServer.ToString().TrimEnd('/'),
            "--bind-address", "127.0.0.1",
            "--advertise-address", "127.0.0.1",
            "--secure-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--insecure-port", "0",
            "--cert-dir", Path.Combine(WorkDirectory, "apiserver-certs"),
            "--tls-cert-file", pki.ServerCert,
            "--tls-private-key-file", pki.ServerKey,
            "--client-ca-file", pki.CaCert,
            "--token-auth-file", tokens,
            "--authorization-mode", "Node,RBAC",
            // Kubelets (the tests' FakeKubelet) are verified against the test CA, and see the API server's client certificate.
            "--kubelet-certificate-authority", pki.CaCert,
            "--kubelet-client-certificate", pki.KubeletClientCert,
            "--kubelet-client-key", pki.KubeletClientKey,
            "--service-account-key-file", pki.ServiceAccountPublicKey,
            "--service-account-signing-key-file", pki.ServiceAccountKey,
            "--service-account-issuer", "https://kubernetes.default.svc",
            "--api-audiences", "https://kubernetes.default.svc",
            "--service-cluster-ip-range", "10.96.0.0/16",
            "--watch-cache=false",
            "--profiling=false",
            "--allow-privileged=true",
            "--v=1",
        ]);
        await WaitUntilAsync(apiserver, async () =>
        {
            using var http = AdminHttp();
            http.Timeout = TimeSpan.FromSeconds(5);
            using var response = await http.GetAsync("/readyz", cancellationToken);
            return response.IsSuccessStatusCode;
        }, cancellationToken);

        // 3. kubeconfigs: one with the admin token, one with the admin client certificate.
        KubeconfigPath = Path.Combine(WorkDirectory, "kubeconfig");
        CertificateKubeconfigPath = Path.Combine(WorkDirectory, "kubeconfig-cert");
        await File.WriteAllTextAsync(KubeconfigPath, Kubeconfig($"    token: {AdminToken}\n"), cancellationToken);
        var certData = Convert.ToBase64String(await File.ReadAllBytesAsync(pki.AdminCert, cancellationToken));
        var keyData = Convert.ToBase64String(await File.ReadAllBytesAsync(pki.AdminKey, cancellationToken));
        await File.WriteAllTextAsync(CertificateKubeconfigPath,
            Kubeconfig($"    client-certificate-data: {certData}\n    client-key-data: {keyData}\n"), cancellationToken);

        // 4. kube-controller-manager: the Deployment, ReplicaSet, service-account and token controllers.
        var controllerManager = Start("kube-controller-manager", Path.Combine(binaries, "kube-controller-manager"),
        [
            "--kubeconfig", CertificateKubeconfigPath,
            "--port", "0",
            "--secure-port", "0",
            "--leader-elect=false",
            "--use-service-account-credentials=false",
            "--service-account-private-key-file", pki.ServiceAccountKey,
            "--root-ca-file", pki.CaCert,
            "--controllers", "*",
            "--v=1",
        ]);
        await WaitUntilAsync(controllerManager, async () =>
        {
            // The service-account controller creating "default" in namespace default shows the manager works.
            using var http = AdminHttp();
            http.Timeout = TimeSpan.FromSeconds(5);
            using var response = await http.GetAsync("/api/v1/namespaces/default/serviceaccounts/default", cancellationToken);
            return response.IsSuccessStatusCode;
        }, cancellationToken);

        Client = CreateClient();
    }

    private string Kubeconfig(string user) =>
        "apiVersion: v1\nkind: Config\n" +
        $"clusters:\n- name: faas-test\n  cluster:\n    server: {Server.ToString().TrimEnd('/')}\n" +
        $"    certificate-authority-data: {Convert.ToBase64String(Encoding.UTF8.GetBytes(CaPem))}\n" +
        "users:\n- name: faas-admin\n  user:\n" + user +
        "contexts:\n- name: faas-test\n  context:\n    cluster: faas-test\n    user: faas-admin\n    namespace: default\n" +
        "current-context: faas-test\n";

    private HttpClient AdminHttp()
    {
        var ca = X509CertificateLoader.LoadCertificate(Encoding.ASCII.GetBytes(CaPem));
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                if (certificate is null)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(certificate);
            },
        };
        var http = new HttpClient(handler) { BaseAddress = Server };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return http;
    }

    private ControlPlaneProcess Start(string name, string executable, string[] arguments)
    {
        var process = ControlPlaneProcess.Start(name, executable, arguments, Path.Combine(WorkDirectory, name + ".log"));
        _processes.Add(process);
        return process;
    }

    private async Task WaitUntilAsync(ControlPlaneProcess process, Func<Task<bool>> ready, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.Name} exited while starting. Output:\n{process.LogTail()}");
            }

            try
            {
                if (await ready())
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            if (cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{process.Name} was not ready after {stopwatch.Elapsed.TotalSeconds:0} s. Output:\n{process.LogTail()}");
            }

            await Task.Delay(250, CancellationToken.None);
        }
    }

    private static string FindExecutable(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/bin", "/usr/sbin", "/usr/local/bin"])
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{name} was not found; scripts/kube/build-kube.sh installs it (apt etcd-server)");
}

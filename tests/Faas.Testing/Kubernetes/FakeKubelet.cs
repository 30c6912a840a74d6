using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Faas.Kubernetes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Faas.Testing.Kubernetes;

/// <summary>
/// Plays the kubelet of one Node for a <see cref="KubernetesControlPlaneFixture"/>: registers the Node
/// (InternalIP 127.0.0.1, kubelet port = this server's ephemeral port, Ready), renews its Lease so the
/// node-lifecycle controller keeps it Ready, binds pods to it and patches their status as a kubelet would,
/// and serves <c>/containerLogs/{namespace}/{pod}/{container}</c> over HTTPS with a certificate from the
/// test CA (the API server verifies it and presents its kubelet client certificate, which is checked here).
/// Pods it runs get their Secret volumes written into test-mapped folders (<c>FakeKubelet.Volumes.cs</c>).
/// Dispose stops the server and deletes the Lease and the Node.
/// </summary>
public sealed partial class FakeKubelet : IAsyncDisposable
{
    private static readonly TimeSpan LeaseRenewInterval = TimeSpan.FromSeconds(5);

    private readonly KubernetesControlPlaneFixture _cluster;
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private Task _leaseLoop = Task.CompletedTask;

    // The node's own identity towards the API server (system:node:<name>), for what a kubelet reads itself.
    private readonly HttpClient _nodeHttp;

    private FakeKubelet(KubernetesControlPlaneFixture cluster, WebApplication app, string nodeName, X509Certificate2Collection trusted)
    {
        _cluster = cluster;
        _app = app;
        NodeName = nodeName;
        _nodeHttp = NodeClient(cluster, nodeName, trusted);
    }

    public string NodeName { get; }

    /// <summary>The port the Node's status announces as its kubelet endpoint.</summary>
    public int Port { get; private set; }

    /// <summary>Starts the server and registers a Node named <c>faas-test-node-&lt;random&gt;</c> for it.</summary>
    public static async Task<FakeKubelet> StartAsync(KubernetesControlPlaneFixture cluster, CancellationToken cancellationToken = default)
    {
        var pki = cluster.Pki;
        X509Certificate2Collection trusted = [];
        trusted.ImportFromPemFile(pki.CaCert);
        using var pem = X509Certificate2.CreateFromPemFile(pki.KubeletCert, pki.KubeletKey);
        // A PKCS#12 round trip gives the key a form every TLS backend accepts for a server certificate.
        var serving = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.UseHttps(https =>
            {
                https.ServerCertificate = serving;
                // A kubelet only answers callers with a client certificate it trusts: here, one from the test CA.
                https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                https.ClientCertificateValidation = (certificate, _, _) => ChainsTo(certificate, trusted);
            });
        }));
        var app = builder.Build();
        var kubelet = new FakeKubelet(cluster, app, "faas-test-node-" + Guid.NewGuid().ToString("N")[..8], trusted);
        app.MapGet("/containerLogs/{namespace}/{pod}/{container}", kubelet.ServeLogsAsync);
        try
        {
            await app.StartAsync(cancellationToken);
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
            kubelet.Port = address.Port;
            await kubelet.RegisterNodeAsync(cancellationToken);
            kubelet._leaseLoop = kubelet.RenewLeaseAsync(kubelet._stopping.Token);
            kubelet.StartVolumeLoop();
            return kubelet;
        }
        catch
        {
            await kubelet.DisposeAsync();
            throw;
        }
    }

    /// <summary>Binds the pod to this node (what the scheduler does), through the pod's binding subresource.</summary>
    public Task BindAsync(string @namespace, string pod, CancellationToken cancellationToken = default) =>
        _cluster.SendRawAsync(HttpMethod.Post, $"/api/v1/namespaces/{@namespace}/pods/{pod}/binding", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Binding",
            ["metadata"] = new JsonObject { ["name"] = pod },
            ["target"] = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["name"] = NodeName },
        }.ToJsonString(), cancellationToken);

    /// <summary>Reports the (bound) pod Running at <paramref name="podIP"/>, Ready or not, as the kubelet's status sync does.</summary>
    public Task ReportRunningAsync(string @namespace, string pod, bool ready, string podIP = "127.0.0.1", CancellationToken cancellationToken = default)
    {
        var now = Timestamp(DateTimeOffset.UtcNow);
        var status = new JsonObject
        {
            ["phase"] = "Running",
            ["hostIP"] = "127.0.0.1",
            ["podIP"] = podIP,
            ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = podIP }),
            ["startTime"] = now,
            ["conditions"] = new JsonArray(
                new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False", ["lastTransitionTime"] = now },
                new JsonObject { ["type"] = "ContainersReady", ["status"] = ready ? "True" : "False", ["lastTransitionTime"] = now }),
        };
        return _cluster.Client.Pods.PatchStatusAsync(@namespace, pod, KubernetesPatch.StrategicMerge(new JsonObject { ["status"] = status }), cancellationToken);
    }

    /// <summary>
    /// What the kubelet does once a gracefully deleted pod's containers have stopped: deletes it for good
    /// (grace period 0). Without a kubelet a bound pod stays Terminating. Gone already is fine.
    /// </summary>
    public async Task FinishDeletionAsync(string @namespace, string pod, CancellationToken cancellationToken = default)
    {
        ForgetPod(@namespace, pod);
        try
        {
            await _cluster.Client.Pods.DeleteAsync(@namespace, pod, new DeleteOptions { GracePeriodSeconds = 0 }, cancellationToken);
        }
        catch (KubernetesNotFoundException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        CloseFollowers();
        await _leaseLoop;
        await _volumeLoop;
        _nodeHttp.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        foreach (var path in new[] { $"/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/{NodeName}", $"/api/v1/nodes/{NodeName}" })
        {
            try
            {
                await _cluster.SendRawAsync(HttpMethod.Delete, path, null, cleanup.Token);
            }
            catch (Exception e) when (e is InvalidOperationException or HttpRequestException or OperationCanceledException)
            {
                // Never registered, or the control plane is already gone.
            }
        }

        _stopping.Dispose();
        _syncGate.Dispose();
    }

    private async Task RegisterNodeAsync(CancellationToken cancellationToken)
    {
        await _cluster.SendRawAsync(HttpMethod.Post, "/api/v1/nodes", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = NodeName, ["labels"] = new JsonObject { ["kubernetes.io/hostname"] = NodeName } },
        }.ToJsonString(), cancellationToken);

        // The API server finds a pod's kubelet at the node's preferred address and daemonEndpoints.kubeletEndpoint.Port.
        var now = Timestamp(DateTimeOffset.UtcNow);
        var status = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["addresses"] = new JsonArray(new JsonObject { ["type"] = "InternalIP", ["address"] = "127.0.0.1" }),
                ["daemonEndpoints"] = new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = Port } },
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Ready",
                    ["status"] = "True",
                    ["reason"] = "KubeletReady",
                    ["message"] = "fake kubelet of the tests",
                    ["lastHeartbeatTime"] = now,
                    ["lastTransitionTime"] = now,
                }),
            },
        };
        await _cluster.SendRawAsync(HttpMethod.Patch, $"/api/v1/nodes/{NodeName}/status", status.ToJsonString(), "application/merge-patch+json", cancellationToken);

        await _cluster.SendRawAsync(HttpMethod.Post, "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", new JsonObject
        {
            ["apiVersion"] = "coordination.k8s.io/v1",
            ["kind"] = "Lease",
            ["metadata"] = new JsonObject { ["name"] = NodeName },
            ["spec"] = new JsonObject { ["holderIdentity"] = NodeName, ["leaseDurationSeconds"] = 40, ["renewTime"] = MicroTime(DateTimeOffset.UtcNow) },
        }.ToJsonString(), cancellationToken);
    }

    /// <summary>
    /// A real kubelet renews its Lease every 10 s; without that the node-lifecycle controller marks the node
    /// NotReady after 40 s and then marks its pods NotReady too, which would pull them from routing mid-test.
    /// </summary>
    private async Task RenewLeaseAsync(CancellationToken cancellationToken)
    {
        var path = $"/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/{NodeName}";
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(LeaseRenewInterval, cancellationToken);
                var patch = new JsonObject { ["spec"] = new JsonObject { ["renewTime"] = MicroTime(DateTimeOffset.UtcNow) } };
                await _cluster.SendRawAsync(HttpMethod.Patch, path, patch.ToJsonString(), "application/merge-patch+json", cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is InvalidOperationException or HttpRequestException or OperationCanceledException)
            {
                // A missed renewal is retried on the next tick, as a kubelet does.
            }
        }
    }

    /// <summary>
    /// An HTTPS client with a fresh certificate from the test CA for <c>O=system:nodes, CN=system:node:&lt;name&gt;</c>:
    /// the identity the API server's Node authorizer recognises as this node's kubelet.
    /// </summary>
    private static HttpClient NodeClient(KubernetesControlPlaneFixture cluster, string nodeName, X509Certificate2Collection trusted)
    {
        using var ca = X509Certificate2.CreateFromPemFile(cluster.Pki.CaCert, cluster.Pki.CaKey);
        using var key = RSA.Create(2048); // the test CA is RSA, and CertificateRequest signs with the subject's algorithm
        var request = new CertificateRequest($"CN=system:node:{nodeName}, O=system:nodes", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false)); // clientAuth
        // Within the CA's validity (created when the fixture started).
        using var issued = request.Create(ca, ca.NotBefore, ca.NotAfter, RandomNumberGenerator.GetBytes(16));
        using var withKey = issued.CopyWithPrivateKey(key);
        // A PKCS#12 round trip, as for the serving certificate: a key form every TLS backend accepts.
        var client = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        var handler = new HttpClientHandler
        {
            ClientCertificateOptions = ClientCertificateOption.Manual,
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate is not null && ChainsTo(certificate, trusted),
        };
        handler.ClientCertificates.Add(client);
        return new HttpClient(handler) { BaseAddress = cluster.Server, Timeout = TimeSpan.FromSeconds(30) };
    }

    private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2Collection trusted)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    // metav1.MicroTime's wire format.
    private static string MicroTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}

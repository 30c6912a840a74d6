using System.Text;
using System.Text.Json.Nodes;
using Faas.Kubernetes;
using Faas.Testing.Kubernetes;

namespace Faas.Controller.Tests.Backends.Kubernetes;

/// <summary>
/// The fake kubelet's Secret volumes on pods made by hand (not by the backend), for the volume shapes the
/// platform does not generate itself: a plain <c>secret</c> volume with all keys and a <c>defaultMode</c>,
/// <c>items</c> with a nested path, an optional missing Secret, a key removed on update, and a pod whose
/// non-optional Secret is missing staying Pending until the Secret exists.
/// </summary>
[Collection(KubernetesBackendCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FakeKubeletSecretVolumeTests(KubernetesControlPlaneFixture fixture) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("faas-kubelet-volumes-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task SecretVolumes_FollowItemsOptionalAndModes_AndAMissingSecretKeepsThePodPending()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ns = KubernetesControlPlaneFixture.NewNamespaceName("kubelet-volumes");
        await fixture.Client.Namespaces.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = ns } }, deadline.Token);
        await fixture.Client.Secrets.CreateAsync(ns, Secret("creds", ("user", "alice"), ("pass", "pw-1")), deadline.Token);
        await using var kubelet = await FakeKubelet.StartAsync(fixture, deadline.Token);
        var all = Mapped(kubelet, "/etc/all");
        var picked = Mapped(kubelet, "/etc/picked");
        var maybe = Mapped(kubelet, "/etc/maybe");

        await CreatePodAsync(ns, "reader", new JsonArray(
            new JsonObject { ["name"] = "all", ["secret"] = new JsonObject { ["secretName"] = "creds", ["defaultMode"] = 0x100 } }, // 0400
            new JsonObject
            {
                ["name"] = "picked",
                ["secret"] = new JsonObject { ["secretName"] = "creds", ["items"] = new JsonArray(new JsonObject { ["key"] = "pass", ["path"] = "sub/password" }) },
            },
            new JsonObject { ["name"] = "maybe", ["secret"] = new JsonObject { ["secretName"] = "absent", ["optional"] = true } }),
            deadline.Token);
        Assert.True(await kubelet.RunPodAsync(ns, "reader", cancellationToken: deadline.Token), kubelet.MountError(ns, "reader"));

        Assert.Equal("alice", await File.ReadAllTextAsync(Path.Combine(all, "user"), deadline.Token));
        Assert.Equal("pw-1", await File.ReadAllTextAsync(Path.Combine(all, "pass"), deadline.Token));
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(Path.Combine(all, "pass")));
        Assert.Equal("pw-1", await File.ReadAllTextAsync(Path.Combine(picked, "sub", "password"), deadline.Token));
        Assert.False(File.Exists(Path.Combine(picked, "user")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(maybe));
        Assert.True(await IsReadyAsync(ns, "reader", deadline.Token));

        // Update: a changed value is rewritten, a removed key's file goes.
        var creds = await fixture.Client.Secrets.GetAsync(ns, "creds", deadline.Token);
        creds.Data = new Dictionary<string, byte[]> { ["pass"] = Encoding.UTF8.GetBytes("pw-2") };
        await fixture.Client.Secrets.ReplaceAsync(creds, deadline.Token);
        await kubelet.SyncVolumesAsync(deadline.Token);
        Assert.Equal("pw-2", await File.ReadAllTextAsync(Path.Combine(all, "pass"), deadline.Token));
        Assert.False(File.Exists(Path.Combine(all, "user")));
        Assert.Equal("pw-2", await File.ReadAllTextAsync(Path.Combine(picked, "sub", "password"), deadline.Token));
        Assert.Empty(Directory.EnumerateFiles(all, "*.tmp", SearchOption.AllDirectories));

        // A non-optional Secret that does not exist: not started, not Ready, until it does.
        var later = Mapped(kubelet, "/etc/later");
        await CreatePodAsync(ns, "waiter", new JsonArray(
            new JsonObject { ["name"] = "later", ["secret"] = new JsonObject { ["secretName"] = "later" } }), deadline.Token);
        Assert.False(await kubelet.RunPodAsync(ns, "waiter", cancellationToken: deadline.Token));
        Assert.Contains("\"later\" not found", kubelet.MountError(ns, "waiter"));
        Assert.False(await IsReadyAsync(ns, "waiter", deadline.Token));
        Assert.Empty(Directory.EnumerateFileSystemEntries(later));

        await fixture.Client.Secrets.CreateAsync(ns, Secret("later", ("token", "t-1")), deadline.Token);
        await kubelet.SyncVolumesAsync(deadline.Token);
        Assert.True(await IsReadyAsync(ns, "waiter", deadline.Token));
        Assert.Null(kubelet.MountError(ns, "waiter"));
        Assert.Equal("t-1", await File.ReadAllTextAsync(Path.Combine(later, "token"), deadline.Token));
    }

    private string Mapped(FakeKubelet kubelet, string mountPath)
    {
        var local = Path.Combine(_root, mountPath.Replace('/', '_'));
        kubelet.MapMount(mountPath, local);
        return local;
    }

    private static Secret Secret(string name, params (string Key, string Value)[] data) => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Type = "Opaque",
        Data = data.ToDictionary(d => d.Key, d => Encoding.UTF8.GetBytes(d.Value)),
    };

    /// <summary>A pod with one container mounting every volume at /etc/&lt;volume name&gt;.</summary>
    private async Task CreatePodAsync(string ns, string name, JsonArray volumes, CancellationToken cancellationToken)
    {
        var mounts = new JsonArray([.. volumes.Select(v => (JsonNode)new JsonObject { ["name"] = (string)v!["name"]!, ["mountPath"] = "/etc/" + (string)v["name"]!, ["readOnly"] = true })]);
        var pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject
            {
                ["automountServiceAccountToken"] = false,
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "function", ["image"] = "example.invalid/reader:1", ["volumeMounts"] = mounts }),
                ["volumes"] = volumes,
            },
        }.ToJsonString();

        // The ServiceAccount admission refuses pods until the controller-manager made the namespace's "default" account.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await fixture.SendRawAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods", pod, cancellationToken);
                return;
            }
            catch (InvalidOperationException) when (attempt < 50)
            {
                await Task.Delay(200, cancellationToken);
            }
        }
    }

    private async Task<bool> IsReadyAsync(string ns, string pod, CancellationToken cancellationToken)
    {
        var current = await fixture.Client.Pods.GetAsync(ns, pod, cancellationToken);
        return current.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using Faas.Contracts.Functions;
using Faas.Controller.Backends.Kubernetes;
using Faas.Kubernetes;
using Faas.Testing.Kubernetes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging.Abstractions;

namespace Faas.Controller.Tests.Backends.Kubernetes;

/// <summary>
/// Function namespaces on the Kubernetes backend, through the controller's HTTP API against a real API server:
/// configured mode (listed + annotated) and annotation mode (every Namespace annotated openfaas=1, created
/// and deleted through /system/namespace/{name}).
/// </summary>
[Collection(KubernetesBackendCollection.Name)]
public sealed class KubernetesNamespaceTests(KubernetesControlPlaneFixture fixture)
{
    private static FunctionDeployment Echo(string ns) => new() { Service = "echo", Image = "example.invalid/echo:1", Namespace = ns };

    private async Task<string> NewNamespaceAsync(string prefix, bool optedIn, CancellationToken cancellationToken)
    {
        var name = KubernetesControlPlaneFixture.NewNamespaceName(prefix);
        var annotations = optedIn ? new Dictionary<string, string> { ["openfaas"] = "1" } : null;
        await fixture.Client.Namespaces.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = name, Annotations = annotations } }, cancellationToken);
        return name;
    }

    private async Task<WebApplication> StartAppAsync(string functionNamespace, string[] more, TempDir state, CancellationToken cancellationToken)
    {
        var app = Program.Build([
            "--port=0", "--backend=kubernetes", $"--kubeconfig={fixture.KubeconfigPath}", $"--function_namespace={functionNamespace}",
            $"--state_dir={state.Path}", "--basic_auth=false", "--Logging:LogLevel:Default=Warning", .. more,
        ]);
        await app.StartAsync(cancellationToken);
        return app;
    }

    [Fact]
    public async Task Configured_AnnotatedExtraIsServed_NotAnnotatedIs400WithHowToOptIn_AndChangesAre403()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var main = await NewNamespaceAsync("kn-main", optedIn: false, deadline.Token);
        var annotated = await NewNamespaceAsync("kn-yes", optedIn: true, deadline.Token);
        var plain = await NewNamespaceAsync("kn-no", optedIn: false, deadline.Token);
        using var state = new TempDir();
        var app = await StartAppAsync(main, [$"--extra_function_namespaces={annotated},{plain}"], state, deadline.Token);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

            var listed = await http.GetFromJsonAsync<List<string>>("/system/namespaces", deadline.Token);
            Assert.Equal([main, annotated], listed!); // the default needs no annotation; the plain one is not listed

            using var refused = await http.PostAsJsonAsync("/system/functions", Echo(plain), deadline.Token);
            var reason = await refused.Content.ReadAsStringAsync(deadline.Token);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains($"namespace '{plain}' is not opted in", reason);
            Assert.Contains($"kubectl annotate namespace {plain} openfaas=1", reason);

            using var deployed = await http.PostAsJsonAsync("/system/functions", Echo(annotated), deadline.Token);
            Assert.Equal(HttpStatusCode.Accepted, deployed.StatusCode);

            using var create = await http.PostAsync("/system/namespace/kn-new", null, deadline.Token);
            Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
            Assert.Contains("clusterRole=true", await create.Content.ReadAsStringAsync(deadline.Token));
            await Assert.ThrowsAsync<KubernetesNotFoundException>(() => fixture.Client.Namespaces.GetAsync("kn-new", deadline.Token));

            using var delete = await http.DeleteAsync($"/system/namespace/{plain}", deadline.Token);
            Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
            Assert.Contains("not opted in", await delete.Content.ReadAsStringAsync(deadline.Token));
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Configured_AnAnnotationAddedLater_AppearsOnTheNextRead()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var later = await NewNamespaceAsync("kn-later", optedIn: false, deadline.Token);
        var options = new KubernetesBackendOptions { Client = fixture.Client.Configuration, ExtraNamespaces = [later, "kn-absent-" + later[^8..]] };
        var store = new ConfiguredNamespaceStore(options, fixture.Client, NullLogger<ConfiguredNamespaceStore>.Instance);

        await store.RefreshAsync(deadline.Token);
        Assert.Null(store.Get(later));
        Assert.Contains("not opted in", store.Explain(later));
        Assert.Contains("does not exist", store.Explain("kn-absent-" + later[^8..]));

        await fixture.Client.Namespaces.PatchAsync(later, KubernetesPatch.Merge(System.Text.Json.Nodes.JsonNode.Parse("""{"metadata":{"annotations":{"openfaas":"1"}}}""")!), deadline.Token);
        await store.RefreshAsync(deadline.Token);

        Assert.Equal(later, store.Get(later)?.Name);
    }

    [Fact]
    public async Task Annotation_CreateDeployRefuseInUseDelete_ThroughTheApi_OnRealNamespaces()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var main = await NewNamespaceAsync("kn-amain", optedIn: false, deadline.Token);
        var made = KubernetesControlPlaneFixture.NewNamespaceName("kn-made");
        using var state = new TempDir();
        var app = await StartAppAsync(main, ["--kubernetes_namespaces=annotation"], state, deadline.Token);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

            using (var created = await http.PostAsync($"/system/namespace/{made}",
                new StringContent("""{"labels":{"team":"a"},"annotations":{"owner":"ops"}}""", Encoding.UTF8, "application/json"), deadline.Token))
            {
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            }

            var real = await fixture.Client.Namespaces.GetAsync(made, deadline.Token);
            Assert.Equal("1", real.Metadata.Annotations!["openfaas"]);
            Assert.Equal("ops", real.Metadata.Annotations["owner"]);
            Assert.Equal("a", real.Metadata.Labels!["team"]);
            Assert.Equal("faas", real.Metadata.Labels["app.kubernetes.io/managed-by"]);
            Assert.Contains(made, (await http.GetFromJsonAsync<List<string>>("/system/namespaces", deadline.Token))!);

            using (var again = await http.PostAsync($"/system/namespace/{made}", null, deadline.Token))
            {
                Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            }

            using (var update = await http.PutAsync($"/system/namespace/{made}",
                new StringContent("""{"labels":{"team":"b"}}""", Encoding.UTF8, "application/json"), deadline.Token))
            {
                Assert.Equal(HttpStatusCode.Accepted, update.StatusCode);
            }

            real = await fixture.Client.Namespaces.GetAsync(made, deadline.Token);
            Assert.Equal("b", real.Metadata.Labels!["team"]);
            Assert.Equal("1", real.Metadata.Annotations!["openfaas"]);

            using (var deployed = await http.PostAsJsonAsync("/system/functions", Echo(made), deadline.Token))
            {
                Assert.Equal(HttpStatusCode.Accepted, deployed.StatusCode);
            }

            using (var inUse = await http.DeleteAsync($"/system/namespace/{made}", deadline.Token))
            {
                Assert.Equal(HttpStatusCode.Conflict, inUse.StatusCode);
                Assert.Contains("echo", await inUse.Content.ReadAsStringAsync(deadline.Token));
            }

            Assert.Null((await fixture.Client.Namespaces.GetAsync(made, deadline.Token)).Metadata.DeletionTimestamp);
            using (var removed = await http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/system/functions?namespace={made}")
            {
                Content = JsonContent.Create(new { functionName = "echo" }),
            }, deadline.Token))
            {
                Assert.True(removed.IsSuccessStatusCode, await removed.Content.ReadAsStringAsync(deadline.Token));
            }

            using (var deleted = await http.DeleteAsync($"/system/namespace/{made}", deadline.Token))
            {
                Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
            }

            Assert.DoesNotContain(made, (await http.GetFromJsonAsync<List<string>>("/system/namespaces", deadline.Token))!);
            try
            {
                Assert.NotNull((await fixture.Client.Namespaces.GetAsync(made, deadline.Token)).Metadata.DeletionTimestamp);
            }
            catch (KubernetesNotFoundException)
            {
                // Already gone.
            }

            using var reserved = await http.DeleteAsync("/system/namespace/kube-system", deadline.Token);
            Assert.Equal(HttpStatusCode.BadRequest, reserved.StatusCode);
            Assert.Contains("reserved", await reserved.Content.ReadAsStringAsync(deadline.Token));
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Annotation_ForeignNamespaces_AreRefusedWithTheReason_AndAnAnnotationAddedLaterAppearsViaTheWatch()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var main = await NewNamespaceAsync("kn-fmain", optedIn: false, deadline.Token);
        var foreign = await NewNamespaceAsync("kn-foreign", optedIn: false, deadline.Token);
        var borrowed = await NewNamespaceAsync("kn-borrowed", optedIn: true, deadline.Token);
        using var state = new TempDir();
        var app = await StartAppAsync(main, ["--kubernetes_namespaces=annotation"], state, deadline.Token);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            var listed = (await http.GetFromJsonAsync<List<string>>("/system/namespaces", deadline.Token))!;
            Assert.Equal(main, listed[0]);
            Assert.Contains(borrowed, listed);
            Assert.DoesNotContain(foreign, listed);

            using (var refused = await http.PostAsJsonAsync("/system/functions", Echo(foreign), deadline.Token))
            {
                Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
                Assert.Contains($"kubectl annotate namespace {foreign} openfaas=1", await refused.Content.ReadAsStringAsync(deadline.Token));
            }

            using (var create = await http.PostAsync($"/system/namespace/{foreign}", null, deadline.Token))
            {
                Assert.Equal(HttpStatusCode.Conflict, create.StatusCode);
                Assert.Contains("does not take over", await create.Content.ReadAsStringAsync(deadline.Token));
            }

            using (var delete = await http.DeleteAsync($"/system/namespace/{foreign}", deadline.Token))
            {
                Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
                Assert.Contains("not opted in", await delete.Content.ReadAsStringAsync(deadline.Token));
            }

            // Opted in by annotation, but made by someone else: functions may use it, the platform will not delete it.
            using (var delete = await http.DeleteAsync($"/system/namespace/{borrowed}", deadline.Token))
            {
                Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
                Assert.Contains("not created by the platform", await delete.Content.ReadAsStringAsync(deadline.Token));
            }

            Assert.Null((await fixture.Client.Namespaces.GetAsync(borrowed, deadline.Token)).Metadata.DeletionTimestamp);
            Assert.Null((await fixture.Client.Namespaces.GetAsync(foreign, deadline.Token)).Metadata.DeletionTimestamp);

            await fixture.Client.Namespaces.PatchAsync(foreign, KubernetesPatch.Merge(System.Text.Json.Nodes.JsonNode.Parse("""{"metadata":{"annotations":{"openfaas":"1"}}}""")!), deadline.Token);
            while (!(await http.GetFromJsonAsync<List<string>>("/system/namespaces", deadline.Token))!.Contains(foreign))
            {
                await Task.Delay(100, deadline.Token);
            }

            using var deployed = await http.PostAsJsonAsync("/system/functions", Echo(foreign), deadline.Token);
            Assert.Equal(HttpStatusCode.Accepted, deployed.StatusCode);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }
}

using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Faas.Kubernetes;
using Faas.Testing.Kubernetes;
using Faas.Testing.Net;

namespace Faas.Charts.Tests.Cluster;

/// <summary>
/// The real controller (backend=kubernetes, its own process) with nothing but a token of the chart's
/// controller ServiceAccount: secrets, deploy, scale, get and remove through its HTTP API all work, so
/// the chart's Role is enough for the backend; with clusterRole=false it cannot create namespaces, with
/// clusterRole=true it creates and deletes them. Checked from the admin side on the API server.
/// </summary>
[Collection(ChartClusterCollection.Name)]
public sealed class ControllerWithChartRbacTests(KubernetesControlPlaneFixture cluster)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ControllerWithTheChartsServiceAccount_DeploysScalesAndRemovesAFunction()
    {
        var ns = KubernetesControlPlaneFixture.NewNamespaceName("chartctl");
        var fnns = ns + "-fn";
        await WithControllerAsync(ns, [], [], async (http, log, cancellationToken) =>
        {
            using var empty = await http.GetAsync("/system/functions", cancellationToken);
            Assert.True(empty.StatusCode == HttpStatusCode.OK, $"{empty.StatusCode}: {await empty.Content.ReadAsStringAsync(cancellationToken)}\n{log()}");
            Assert.Equal("[]", (await empty.Content.ReadAsStringAsync(cancellationToken)).Trim());

            await SendAsync(http, HttpMethod.Post, "/system/secrets", """{"name":"api-key","value":"s3cret"}""", log, cancellationToken);
            await SendAsync(http, HttpMethod.Post, "/system/functions",
                """{"service":"echo","image":"example.invalid/echo:1","envProcess":"cat","secrets":["api-key"]}""", log, cancellationToken);
            var deployment = await cluster.Client.Deployments.GetAsync(fnns, "echo", cancellationToken);
            Assert.Equal("example.invalid/echo:1", deployment.Spec!.Template.Spec!.Containers[0].Image);
            Assert.Equal("echo", (await cluster.Client.Services.GetAsync(fnns, "echo", cancellationToken)).Metadata.Name);
            var secret = await cluster.Client.Secrets.GetAsync(fnns, "api-key", cancellationToken);
            Assert.Equal("s3cret", Encoding.UTF8.GetString(Assert.Single(secret.Data!).Value));

            await SendAsync(http, HttpMethod.Post, "/system/scale-function/echo", """{"serviceName":"echo","replicas":3}""", log, cancellationToken);
            Assert.Equal(3, (await cluster.Client.Deployments.GetScaleAsync(fnns, "echo", cancellationToken)).Spec!.Replicas);

            using var one = await http.GetAsync("/system/function/echo", cancellationToken);
            Assert.True(one.StatusCode == HttpStatusCode.OK, $"{one.StatusCode}\n{log()}");
            using (var status = JsonDocument.Parse(await one.Content.ReadAsStringAsync(cancellationToken)))
            {
                Assert.Equal("echo", status.RootElement.GetProperty("name").GetString());
                Assert.Equal(3, status.RootElement.GetProperty("replicas").GetInt32());
            }

            await SendAsync(http, HttpMethod.Delete, "/system/functions", """{"functionName":"echo"}""", log, cancellationToken);
            await SendAsync(http, HttpMethod.Delete, "/system/secrets", """{"name":"api-key"}""", log, cancellationToken);
            Assert.Empty((await cluster.Client.Deployments.ListAsync(fnns, cancellationToken: cancellationToken)).Items);
            Assert.Empty((await cluster.Client.Services.ListAsync(fnns, cancellationToken: cancellationToken)).Items);
            Assert.DoesNotContain((await cluster.Client.Secrets.ListAsync(fnns, cancellationToken: cancellationToken)).Items, s => s.Metadata.Name == "api-key");
        });
    }

    [Fact]
    public async Task WithoutClusterRole_AnAnnotatedExtraNamespaceIsServed_AndNamespacesCannotBeCreated()
    {
        var ns = KubernetesControlPlaneFixture.NewNamespaceName("chartx");
        var extra = ns + "-x";
        using (var setup = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            await cluster.Client.Namespaces.CreateAsync(new Namespace
            {
                Metadata = new ObjectMeta { Name = extra, Annotations = new() { ["openfaas"] = "1" } },
            }, setup.Token);
        }

        await WithControllerAsync(ns, ["--set", $"functionNamespace.extra={{{extra}}}"], [$"--extra_function_namespaces={extra}"], async (http, log, cancellationToken) =>
        {
            var namespaces = await http.GetStringAsync("/system/namespaces", cancellationToken);
            Assert.Contains($"\"{extra}\"", namespaces);

            await SendAsync(http, HttpMethod.Post, $"/system/functions?namespace={extra}",
                $$"""{"service":"echo","image":"example.invalid/echo:1","namespace":"{{extra}}"}""", log, cancellationToken);
            Assert.Equal("echo", (await cluster.Client.Deployments.GetAsync(extra, "echo", cancellationToken)).Metadata.Name);

            // The chart grants no cluster-wide rights: the API says what to change, and nothing is created.
            using var create = await http.PostAsync($"/system/namespace/{ns}-y", null, cancellationToken);
            var body = await create.Content.ReadAsStringAsync(cancellationToken);
            Assert.True(create.StatusCode == HttpStatusCode.Forbidden, $"{create.StatusCode}: {body}\n{log()}");
            Assert.Contains("clusterRole=true", body);
            await Assert.ThrowsAsync<KubernetesNotFoundException>(() => cluster.Client.Namespaces.GetAsync($"{ns}-y", cancellationToken));

            await SendAsync(http, HttpMethod.Delete, $"/system/functions?namespace={extra}", """{"functionName":"echo"}""", log, cancellationToken);
        }, extra);
    }

    [Fact]
    public async Task WithClusterRole_TheControllerCreatesANamespace_DeploysIntoIt_AndDeletesIt()
    {
        var ns = KubernetesControlPlaneFixture.NewNamespaceName("chartcr");
        var made = ns + "-made";
        await WithControllerAsync(ns, ["--cluster-role"], ["--kubernetes_namespaces=annotation"], async (http, log, cancellationToken) =>
        {
            using (var created = await http.PostAsync($"/system/namespace/{made}",
                new StringContent("""{"labels":{"team":"a"},"annotations":{"owner":"ops"}}""", Encoding.UTF8, "application/json"), cancellationToken))
            {
                Assert.True(created.StatusCode == HttpStatusCode.Created, $"{created.StatusCode}: {await created.Content.ReadAsStringAsync(cancellationToken)}\n{log()}");
            }

            var real = await cluster.Client.Namespaces.GetAsync(made, cancellationToken);
            Assert.Equal("1", real.Metadata.Annotations!["openfaas"]);
            Assert.Equal("ops", real.Metadata.Annotations["owner"]);
            Assert.Equal("a", real.Metadata.Labels!["team"]);
            Assert.Equal("faas", real.Metadata.Labels["app.kubernetes.io/managed-by"]);

            await SendAsync(http, HttpMethod.Post, "/system/functions",
                $$"""{"service":"echo","image":"example.invalid/echo:1","namespace":"{{made}}"}""", log, cancellationToken);
            Assert.Equal("echo", (await cluster.Client.Deployments.GetAsync(made, "echo", cancellationToken)).Metadata.Name);

            using (var inUse = await http.DeleteAsync($"/system/namespace/{made}", cancellationToken))
            {
                Assert.Equal(HttpStatusCode.Conflict, inUse.StatusCode);
                Assert.Contains("echo", await inUse.Content.ReadAsStringAsync(cancellationToken));
            }

            await SendAsync(http, HttpMethod.Delete, $"/system/functions?namespace={made}", """{"functionName":"echo"}""", log, cancellationToken);
            using (var deleted = await http.DeleteAsync($"/system/namespace/{made}", cancellationToken))
            {
                Assert.True(deleted.StatusCode == HttpStatusCode.Accepted, $"{deleted.StatusCode}: {await deleted.Content.ReadAsStringAsync(cancellationToken)}\n{log()}");
            }

            // Deletion is asynchronous (the namespace controller empties it first): gone or Terminating.
            try
            {
                Assert.Equal("Terminating", (await cluster.Client.Namespaces.GetAsync(made, cancellationToken)).Status?.Phase);
            }
            catch (KubernetesNotFoundException)
            {
                // Already gone.
            }

            Assert.DoesNotContain($"\"{made}\"", await http.GetStringAsync("/system/namespaces", cancellationToken));
        }, made);
    }

    /// <summary>
    /// Applies the chart (check script, with <paramref name="scriptArguments"/>), starts the real controller with
    /// the chart's ServiceAccount token and <paramref name="controllerArguments"/>, runs <paramref name="body"/>,
    /// then stops the controller and deletes the namespaces.
    /// </summary>
    private async Task WithControllerAsync(
        string ns, string[] scriptArguments, string[] controllerArguments, Func<HttpClient, Func<string>, CancellationToken, Task> body, params string[] moreNamespaces)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var fnns = ns + "-fn";
        var work = Directory.CreateTempSubdirectory("faas-chartctl-").FullName;
        Process? controller = null;
        var output = new StringBuilder();
        try
        {
            var (exitCode, script) = await ChartCheckScript.RunAsync(cluster, ns, true, scriptArguments);
            Assert.True(exitCode == 0, $"check-chart-on-cluster.sh exited {exitCode}:\n{script}");

            var kubeconfig = Path.Combine(work, "controller.kubeconfig");
            await File.WriteAllTextAsync(kubeconfig, Kubeconfig(await ServiceAccountTokenAsync(ns, deadline.Token)), deadline.Token);
            var port = TestPorts.Next();
            controller = StartController(port, kubeconfig, fnns, Path.Combine(work, "state"), controllerArguments, output);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitHealthyAsync(http, controller, output, deadline.Token);
            await body(http, () => $"controller output:\n{output}", deadline.Token);
        }
        finally
        {
            if (controller is not null)
            {
                if (!controller.HasExited)
                {
                    controller.Kill(entireProcessTree: true);
                    await controller.WaitForExitAsync(CancellationToken.None);
                }

                controller.Dispose();
            }

            foreach (var name in new[] { ns, fnns }.Concat(moreNamespaces))
            {
                try
                {
                    await cluster.SendRawAsync(HttpMethod.Delete, $"/api/v1/namespaces/{name}", null, CancellationToken.None);
                }
                catch (InvalidOperationException)
                {
                    // Not created, or deleted already: nothing to remove.
                }
            }

            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>A TokenRequest for the chart's controller ServiceAccount: what the kubelet would mount in its pod.</summary>
    private async Task<string> ServiceAccountTokenAsync(string ns, CancellationToken cancellationToken)
    {
        var body = await cluster.SendRawAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/serviceaccounts/faas-controller/token",
            """{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"expirationSeconds":3600}}""", cancellationToken);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("status").GetProperty("token").GetString()!;
    }

    private string Kubeconfig(string token) =>
        "apiVersion: v1\nkind: Config\ncurrent-context: c\n" +
        $"clusters:\n- name: k\n  cluster:\n    server: {cluster.Server.ToString().TrimEnd('/')}\n" +
        $"    certificate-authority-data: {Convert.ToBase64String(Encoding.UTF8.GetBytes(cluster.CaPem))}\n" +
        $"users:\n- name: controller\n  user:\n    token: {token}\n" +
        "contexts:\n- name: c\n  context:\n    cluster: k\n    user: controller\n";

    private static Process StartController(int port, string kubeconfig, string functionNamespace, string stateDir, string[] arguments, StringBuilder output)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Faas.Controller.dll"));
        foreach (var argument in new[]
        {
            $"--port={port}", "--bind_address=127.0.0.1", "--backend=kubernetes", $"--kubeconfig={kubeconfig}",
            $"--function_namespace={functionNamespace}", $"--state_dir={stateDir}", "--Logging:LogLevel:Default=Warning",
        }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static async Task WaitHealthyAsync(HttpClient http, Process controller, StringBuilder output, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        while (true)
        {
            Assert.False(controller.HasExited, $"the controller exited ({(controller.HasExited ? controller.ExitCode : 0)}):\n{output}");
            try
            {
                using var response = await http.GetAsync("/healthz", timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                Assert.Fail($"the controller did not answer /healthz within {StartTimeout.TotalSeconds} s:\n{output}");
            }

            await Task.Delay(200, CancellationToken.None);
        }
    }

    private static async Task SendAsync(HttpClient http, HttpMethod method, string path, string json, Func<string> log, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {body}\n{log()}");
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Faas.Contracts.Json;
using Faas.Contracts.Logs;
using Faas.Controller.Backends.Kubernetes;
using Faas.Kubernetes;
using Faas.Testing.Kubernetes;

namespace Faas.Controller.Tests.Backends.Kubernetes;

/// <summary>
/// <c>GET /system/logs</c> of the controller (backend=kubernetes) as faas-cli calls it, against the real API
/// server, which proxies pods/log to a <see cref="FakeKubelet"/> the test runs: the kubelet sees the query
/// the API server got from the controller, and the controller sees the kubelet's lines.
/// </summary>
[Collection(KubernetesBackendCollection.Name)]
public sealed class KubernetesPodLogsTests(KubernetesControlPlaneFixture fixture)
{
    private const string Container = FunctionObjects.ContainerName;

    // Whole seconds in the past, so every stamp is exact and old enough for since/tail to choose among them.
    private static readonly DateTimeOffset Base = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()).AddMinutes(-10);

    [Fact]
    public async Task WithoutFollow_TwoPodsAreMergedInTimeOrder_TailAndSinceArePassedPerPod()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var rig = await Rig.StartAsync(fixture, "kl-merge", replicas: 2, deadline.Token);
        var (a, b) = (rig.Pods[0], rig.Pods[1]);
        await rig.Kubelet.RunPodAsync(rig.Namespace, a, cancellationToken: deadline.Token);
        await rig.Kubelet.RunPodAsync(rig.Namespace, b, cancellationToken: deadline.Token);
        // a1 carries nanoseconds beyond .NET's ticks, as container runtimes stamp.
        rig.Kubelet.AddLogLines(rig.Namespace, a, Container,
            new(Base, "a1", ExtraNanoseconds: 7), new(Base.AddMinutes(2), "a2"), new(Base.AddSeconds(570), "a3"));
        rig.Kubelet.AddLogLines(rig.Namespace, b, Container,
            new(Base.AddMinutes(1), "b1"), new(Base.AddMinutes(3).AddMilliseconds(250), "b2"), new(Base.AddSeconds(580), "b3"));

        var all = await rig.ReadLogsAsync("", deadline.Token);

        Assert.Equal(["a1", "b1", "a2", "b2", "a3", "b3"], all.Select(m => m.Text));
        Assert.Equal([a, b, a, b, a, b], all.Select(m => m.Instance));
        Assert.Equal(Base, all[0].Timestamp);
        Assert.Equal(Base.AddMinutes(3).AddMilliseconds(250), all[3].Timestamp);
        Assert.All(all, m => Assert.Equal(("echo", rig.Namespace), (m.Name, m.Namespace)));
        var requests = rig.Kubelet.LogRequests;
        Assert.Equal([a, b], requests.Select(r => r.Pod).Order());
        Assert.All(requests, r =>
        {
            Assert.Equal((rig.Namespace, Container), (r.Namespace, r.Container));
            Assert.Equal("true", r.Query["timestamps"]);
            Assert.False(r.Query.ContainsKey("follow") || r.Query.ContainsKey("tailLines") || r.Query.ContainsKey("sinceSeconds"), string.Join("&", r.Query));
            // The API server presented its kubelet client certificate (--kubelet-client-certificate).
            Assert.Contains("CN=kube-apiserver-kubelet-client", r.ClientCertificateSubject);
        });

        // tail: each pod is asked for its last 2, and the answer is the last 2 over both pods.
        var tail = await rig.ReadLogsAsync("&tail=2", deadline.Token);
        Assert.Equal(["a3", "b3"], tail.Select(m => m.Text));
        Assert.Equal(["2", "2"], rig.Kubelet.LogRequests.Skip(2).Select(r => r.Query.GetValueOrDefault("tailLines")));

        // since: passed as sinceSeconds (rounded up), so the kubelet leaves out a2 (30 s before) and keeps b2.
        var since = Base.AddSeconds(150);
        var recent = await rig.ReadLogsAsync("&since=" + Uri.EscapeDataString(since.ToString("O")), deadline.Token);
        Assert.Equal(["b2", "a3", "b3"], recent.Select(m => m.Text));
        var sinceRequests = rig.Kubelet.LogRequests.Skip(4).ToList();
        Assert.Equal(2, sinceRequests.Count);
        Assert.All(sinceRequests, r => Assert.True(long.Parse(r.Query["sinceSeconds"]) >= 450, string.Join("&", r.Query)));
    }

    [Fact]
    public async Task Follow_StreamsLinesAsTheKubeletWritesThem_AndEndsTheKubeletStreamsWhenTheCallerLeaves()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var rig = await Rig.StartAsync(fixture, "kl-follow", replicas: 2, deadline.Token);
        var (a, b) = (rig.Pods[0], rig.Pods[1]);
        await rig.Kubelet.RunPodAsync(rig.Namespace, a, cancellationToken: deadline.Token);
        await rig.Kubelet.RunPodAsync(rig.Namespace, b, cancellationToken: deadline.Token);
        rig.Kubelet.AddLogLines(rig.Namespace, a, Container, new KubeletLogLine(Base, "earlier a"));
        rig.Kubelet.AddLogLines(rig.Namespace, b, Container, new KubeletLogLine(Base, "earlier b"));

        using var caller = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/system/logs?name=echo&namespace={rig.Namespace}&follow=true");
        using var response = await rig.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, caller.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(caller.Token));

        var backlog = new[] { await NextAsync(reader, caller.Token), await NextAsync(reader, caller.Token) };
        Assert.Equal(["earlier a", "earlier b"], backlog.Select(m => m.Text).Order());
        foreach (var pod in new[] { a, b })
        {
            var followed = await rig.Kubelet.WaitForLogRequestAsync(r => r.Pod == pod, deadline.Token);
            Assert.Equal("true", followed.Query["follow"]);
        }

        rig.Kubelet.WriteLogLine(rig.Namespace, b, Container, "live b");
        var first = await NextAsync(reader, caller.Token);
        Assert.Equal(("live b", b), (first.Text, first.Instance));
        rig.Kubelet.WriteLogLine(rig.Namespace, a, Container, "live a");
        var second = await NextAsync(reader, caller.Token);
        Assert.Equal(("live a", a), (second.Text, second.Instance));
        Assert.Equal(2, rig.Kubelet.OpenFollowStreams);

        // The caller leaves: the controller stops reading, the API server closes both kubelet streams.
        await caller.CancelAsync();
        response.Dispose();
        while (rig.Kubelet.OpenFollowStreams > 0)
        {
            await Task.Delay(50, deadline.Token);
        }
    }

    [Fact]
    public async Task Follow_WithNoPodRunningYet_StaysOpenAndFollowsThePodOnceItRuns()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var rig = await Rig.StartAsync(fixture, "kl-late", replicas: 1, deadline.Token);
        var pod = rig.Pods[0];
        rig.Kubelet.AddLogLines(rig.Namespace, pod, Container, new KubeletLogLine(Base, "first line"));

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/system/logs?name=echo&namespace={rig.Namespace}&follow=true");
        using var response = await rig.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(deadline.Token));
        var next = NextAsync(reader, deadline.Token);
        Assert.Empty(rig.Kubelet.LogRequests);

        // The pod starts after the caller began following: its log joins the open stream.
        await rig.Kubelet.RunPodAsync(rig.Namespace, pod, cancellationToken: deadline.Token);
        Assert.Equal(("first line", pod), ((await next).Text, (await next).Instance));
        var followed = await rig.Kubelet.WaitForLogRequestAsync(r => r.Pod == pod, deadline.Token);
        Assert.Equal("true", followed.Query["follow"]);
        rig.Kubelet.WriteLogLine(rig.Namespace, pod, Container, "live");
        Assert.Equal("live", (await NextAsync(reader, deadline.Token)).Text);
        Assert.Single(rig.Kubelet.LogRequests);
    }

    [Fact]
    public async Task APodNotRunningYetIsSkipped_AndInstancePicksOnePod()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var rig = await Rig.StartAsync(fixture, "kl-skip", replicas: 3, deadline.Token);
        var (a, b, pending) = (rig.Pods[0], rig.Pods[1], rig.Pods[2]);
        await rig.Kubelet.RunPodAsync(rig.Namespace, a, cancellationToken: deadline.Token);
        await rig.Kubelet.RunPodAsync(rig.Namespace, b, cancellationToken: deadline.Token);
        // Bound to the node but not started: no IP, phase Pending. Were it asked, it would answer.
        await rig.Kubelet.BindAsync(rig.Namespace, pending, deadline.Token);
        rig.Kubelet.AddLogLines(rig.Namespace, a, Container, new KubeletLogLine(Base, "from a"));
        rig.Kubelet.AddLogLines(rig.Namespace, b, Container, new KubeletLogLine(Base.AddSeconds(1), "from b"));
        rig.Kubelet.AddLogLines(rig.Namespace, pending, Container, new KubeletLogLine(Base.AddSeconds(2), "from pending"));

        var all = await rig.ReadLogsAsync("", deadline.Token);
        Assert.Equal(["from a", "from b"], all.Select(m => m.Text));
        Assert.DoesNotContain(rig.Kubelet.LogRequests, r => r.Pod == pending);

        var before = rig.Kubelet.LogRequests.Count;
        var one = await rig.ReadLogsAsync("&instance=" + b, deadline.Token);
        Assert.Equal(("from b", b), (Assert.Single(one).Text, one[0].Instance));
        Assert.Equal([b], rig.Kubelet.LogRequests.Skip(before).Select(r => r.Pod));
    }

    private static async Task<LogMessage> NextAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        var line = await reader.ReadLineAsync(cancellationToken) ?? throw new EndOfStreamException("the log stream ended");
        return JsonSerializer.Deserialize(line, FaasJsonContext.Default.LogMessage)!;
    }

    /// <summary>A fresh namespace, the controller app on it, a fake kubelet's node, and function echo with its pods.</summary>
    private sealed class Rig : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly TempDir _state;

        private Rig(string ns, WebApplication app, TempDir state, HttpClient http, FakeKubelet kubelet)
        {
            Namespace = ns;
            _app = app;
            _state = state;
            Http = http;
            Kubelet = kubelet;
        }

        public string Namespace { get; }

        public HttpClient Http { get; }

        public FakeKubelet Kubelet { get; }

        /// <summary>The function's pods, by name.</summary>
        public List<string> Pods { get; private set; } = [];

        public static async Task<Rig> StartAsync(KubernetesControlPlaneFixture cluster, string prefix, int replicas, CancellationToken cancellationToken)
        {
            var ns = KubernetesControlPlaneFixture.NewNamespaceName(prefix);
            await cluster.Client.Namespaces.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = ns } }, cancellationToken);
            var state = new TempDir();
            var app = Program.Build([
                "--port=0", "--backend=kubernetes", $"--kubeconfig={cluster.KubeconfigPath}", $"--function_namespace={ns}",
                $"--state_dir={state.Path}", "--basic_auth=false", "--Logging:LogLevel:Default=Warning",
            ]);
            await app.StartAsync(cancellationToken);
            var rig = new Rig(ns, app, state, new HttpClient { BaseAddress = new Uri(app.Urls.First()) }, await FakeKubelet.StartAsync(cluster, cancellationToken));
            try
            {
                using var deployed = await rig.Http.PostAsJsonAsync("/system/functions",
                    new { service = "echo", image = "example.invalid/echo:1", @namespace = ns }, cancellationToken);
                Assert.Equal(HttpStatusCode.Accepted, deployed.StatusCode);
                using var scaled = await rig.Http.PostAsJsonAsync($"/system/scale-function/echo?namespace={ns}",
                    new { serviceName = "echo", @namespace = ns, replicas }, cancellationToken);
                Assert.True(scaled.IsSuccessStatusCode, await scaled.Content.ReadAsStringAsync(cancellationToken));
                while (rig.Pods.Count != replicas)
                {
                    await Task.Delay(100, cancellationToken);
                    var pods = await cluster.Client.Pods.ListAsync(ns, new ListOptions { LabelSelector = "faas_function=echo" }, cancellationToken);
                    rig.Pods = [.. pods.Items.Select(p => p.Metadata.Name!).Order(StringComparer.Ordinal)];
                }

                return rig;
            }
            catch
            {
                await rig.DisposeAsync();
                throw;
            }
        }

        /// <summary><c>GET /system/logs?name=echo&amp;namespace=..&amp;follow=false</c> plus <paramref name="extraQuery"/>, read to the end.</summary>
        public async Task<List<LogMessage>> ReadLogsAsync(string extraQuery, CancellationToken cancellationToken)
        {
            using var response = await Http.GetAsync($"/system/logs?name=echo&namespace={Namespace}&follow=false{extraQuery}", cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
            return [.. body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonSerializer.Deserialize(l, FaasJsonContext.Default.LogMessage)!)];
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await Kubelet.DisposeAsync();
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
            _state.Dispose();
        }
    }
}

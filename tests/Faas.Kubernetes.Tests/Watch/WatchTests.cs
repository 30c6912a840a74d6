using Faas.Testing.Net;

namespace Faas.Kubernetes.Tests.Watch;

[Collection(KubernetesCollection.Name)]
public sealed class WatchTests(KubernetesControlPlaneFixture fixture)
{
    private readonly KubernetesClient _client = fixture.Client;

    [Fact]
    public async Task Watch_ReportsExistingObjectsThenChanges()
    {
        using var deadline = Deadline.Seconds(60);
        var ns = await Objects.NewNamespaceAsync(_client, "watch-basic", deadline.Token);
        var labels = new Dictionary<string, string> { ["watched"] = "yes" };
        await _client.Secrets.CreateAsync(ns, Objects.Secret("existing", labels), deadline.Token);
        await _client.Secrets.CreateAsync(ns, Objects.Secret("unlabelled"), deadline.Token);

        await using var events = _client.Secrets.WatchAsync(ns, new WatchOptions { LabelSelector = "watched=yes" }, deadline.Token)
            .GetAsyncEnumerator(deadline.Token);

        await ExpectAsync(events, WatchEventType.Added, "existing");
        await _client.Secrets.CreateAsync(ns, Objects.Secret("later", labels), deadline.Token);
        await ExpectAsync(events, WatchEventType.Added, "later");
        var later = await _client.Secrets.GetAsync(ns, "later", deadline.Token);
        later.Data!["api-key"] = [9];
        await _client.Secrets.ReplaceAsync(later, deadline.Token);
        var modified = await ExpectAsync(events, WatchEventType.Modified, "later");
        Assert.Equal(new byte[] { 9 }, modified.Data!["api-key"]);
        await _client.Secrets.DeleteAsync(ns, "existing", cancellationToken: deadline.Token);
        await ExpectAsync(events, WatchEventType.Deleted, "existing");
    }

    [Fact]
    public async Task Watch_FromAResourceVersion_ReportsOnlyLaterChanges()
    {
        using var deadline = Deadline.Seconds(60);
        var ns = await Objects.NewNamespaceAsync(_client, "watch-rv", deadline.Token);
        var labels = new Dictionary<string, string> { ["watched"] = "yes" };
        await _client.Secrets.CreateAsync(ns, Objects.Secret("before", labels), deadline.Token);
        var list = await _client.Secrets.ListAsync(ns, new ListOptions { LabelSelector = "watched=yes" }, deadline.Token);

        await using var events = _client.Secrets.WatchAsync(ns, new WatchOptions { LabelSelector = "watched=yes", ResourceVersion = list.Metadata.ResourceVersion }, deadline.Token)
            .GetAsyncEnumerator(deadline.Token);
        var next = events.MoveNextAsync();
        await _client.Secrets.CreateAsync(ns, Objects.Secret("after", labels), deadline.Token);

        // "before" existed at that version, so it is not reported.
        Assert.True(await next);
        Assert.Equal("Added after", $"{events.Current.Type} {events.Current.Object.Metadata.Name}");
    }

    [Fact]
    public async Task DroppedConnection_ResumesWithoutLosingEvents()
    {
        using var deadline = Deadline.Seconds(90);
        var ns = await Objects.NewNamespaceAsync(_client, "watch-drop", deadline.Token);
        var labels = new Dictionary<string, string> { ["watched"] = "yes" };
        await _client.Secrets.CreateAsync(ns, Objects.Secret("a", labels), deadline.Token);
        await using var proxy = new TcpProxy(fixture.Server);
        var log = new RecordingLogger();
        using var viaProxy = fixture.CreateClient(server: proxy.Address, logger: log);
        await using var events = viaProxy.Secrets.WatchAsync(ns, new WatchOptions { LabelSelector = "watched=yes", RetryDelay = TimeSpan.FromMilliseconds(50) }, deadline.Token)
            .GetAsyncEnumerator(deadline.Token);
        await ExpectAsync(events, WatchEventType.Added, "a");
        var connectionsBefore = proxy.Accepted;

        proxy.Cut();
        await _client.Secrets.CreateAsync(ns, Objects.Secret("b", labels), deadline.Token);
        var a = await _client.Secrets.GetAsync(ns, "a", deadline.Token);
        a.Metadata.Annotations = new() { ["touched"] = "while-cut" };
        await _client.Secrets.ReplaceAsync(a, deadline.Token);
        proxy.Restore();

        // Both changes made while the connection was down arrive, in order, exactly once.
        await ExpectAsync(events, WatchEventType.Added, "b");
        var touched = await ExpectAsync(events, WatchEventType.Modified, "a");
        Assert.Equal("while-cut", touched.Metadata.Annotations!["touched"]);
        Assert.True(proxy.Accepted > connectionsBefore, "the watch should have reconnected");
        Assert.DoesNotContain(RelistEventId, log.EventIds); // resumed from its resourceVersion, no re-list

        await _client.Secrets.CreateAsync(ns, Objects.Secret("c", labels), deadline.Token);
        await ExpectAsync(events, WatchEventType.Added, "c");
    }

    [Fact]
    public async Task ExpiredResourceVersion_ReListsAndReportsWhatWasMissed()
    {
        using var deadline = Deadline.Seconds(90);
        var ns = await Objects.NewNamespaceAsync(_client, "watch-gone", deadline.Token);
        var labels = new Dictionary<string, string> { ["watched"] = "yes" };
        await _client.Secrets.CreateAsync(ns, Objects.Secret("a", labels), deadline.Token);
        await _client.Secrets.CreateAsync(ns, Objects.Secret("b", labels), deadline.Token);
        await using var proxy = new TcpProxy(fixture.Server);
        var log = new RecordingLogger();
        using var viaProxy = fixture.CreateClient(server: proxy.Address, logger: log);
        await using var events = viaProxy.Secrets.WatchAsync(ns, new WatchOptions { LabelSelector = "watched=yes", RetryDelay = TimeSpan.FromMilliseconds(50) }, deadline.Token)
            .GetAsyncEnumerator(deadline.Token);
        var initial = new[] { await NextAsync(events), await NextAsync(events) };
        Assert.All(initial, e => Assert.Equal(WatchEventType.Added, e.Type));

        proxy.Cut();
        await _client.Secrets.DeleteAsync(ns, "a", cancellationToken: deadline.Token);
        await _client.Secrets.CreateAsync(ns, Objects.Secret("c", labels), deadline.Token);
        var b = await _client.Secrets.GetAsync(ns, "b", deadline.Token);
        b.Metadata.Annotations = new() { ["touched"] = "yes" };
        await _client.Secrets.ReplaceAsync(b, deadline.Token);
        // Compaction removes the history the watch would resume from: the server answers 410 Gone.
        await fixture.CompactEtcdAsync(deadline.Token);
        proxy.Restore();

        var missed = new[] { await NextAsync(events), await NextAsync(events), await NextAsync(events) };
        Assert.Equal(
            ["Added c", "Deleted a", "Modified b"],
            missed.Select(e => $"{e.Type} {e.Object.Metadata.Name}").Order(StringComparer.Ordinal).ToArray());
        Assert.Contains(RelistEventId, log.EventIds);
        // A re-list reports a deletion with the object as last seen (a watch event would carry the deletion's version).
        var deleted = missed.Single(e => e.Type == WatchEventType.Deleted).Object;
        Assert.Equal(initial.Single(e => e.Object.Metadata.Name == "a").Object.Metadata.ResourceVersion, deleted.Metadata.ResourceVersion);

        // And the watch goes on from the fresh list.
        await _client.Secrets.CreateAsync(ns, Objects.Secret("d", labels), deadline.Token);
        await ExpectAsync(events, WatchEventType.Added, "d");
    }

    [Fact]
    public async Task Watch_Forbidden_EndsWithTheTypedError()
    {
        using var deadline = Deadline.Seconds(30);
        using var limited = fixture.CreateClient(KubernetesControlPlaneFixture.LimitedToken);

        var error = await Assert.ThrowsAsync<KubernetesForbiddenException>(async () =>
        {
            await foreach (var _ in limited.Pods.WatchAsync("kube-system", cancellationToken: deadline.Token))
            {
            }
        });

        Assert.Contains("cannot list resource \"pods\"", error.ServerMessage);
    }

    /// <summary>KubernetesClientLog.WatchRelisting: the watch's version was gone (410) and it listed again.</summary>
    private const int RelistEventId = 7111;

    private static async Task<WatchEvent<T>> NextAsync<T>(IAsyncEnumerator<WatchEvent<T>> events)
        where T : IKubernetesObject
    {
        Assert.True(await events.MoveNextAsync(), "the watch ended");
        return events.Current;
    }

    private static async Task<T> ExpectAsync<T>(IAsyncEnumerator<WatchEvent<T>> events, WatchEventType type, string name)
        where T : IKubernetesObject
    {
        var next = await NextAsync(events);
        Assert.Equal($"{type} {name}", $"{next.Type} {next.Object.Metadata.Name}");
        return next.Object;
    }
}

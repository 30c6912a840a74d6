using System.Net;
using System.Text.Json;

namespace Faas.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The autoscaling journeys of issue 5, written once and run on every backend: a platform with a
/// real Prometheus and the autoscaler on (1 s scrapes, 1 s decisions), a function that answers
/// <c>ok</c> (after 300 ms on <c>/slow</c>, after spinning the CPU for the body's milliseconds on
/// <c>/spin</c>) deployed by <paramref name="deploy"/> under a name with scaling labels, and the backend's real replicas seen through <paramref name="replicas"/>.
/// Windows are a few seconds; the journeys assert outcomes, and each wait is bounded.
/// </summary>
/// <param name="deploy">Deploys the function as (name, labels) and returns once the deploy was accepted.</param>
public sealed class AutoscalingJourneys(Platform platform, IReplicaObserver replicas, Func<string, string[], Task> deploy)
{
    private Platform P => platform;

    /// <summary>Capacity load (about 8 calls in flight, target 2) scales up within max 3, then back to min 1 when it stops.</summary>
    public Task CapacityLoadScalesUpWithinMaxThenBackToMinAsync(string name) =>
        LoadScalesUpWithinMaxThenBackToMinAsync(
            name,
            ["com.openfaas.scale.target=2", "com.openfaas.scale.type=capacity"],
            // 8 callers, each making slow calls one after another: about 8 calls in flight.
            callers: 8,
            cancellationToken => P.Http.GetAsync($"/function/{name}/slow", cancellationToken),
            upWithin: TimeSpan.FromSeconds(45),
            downWithin: TimeSpan.FromSeconds(30));

    /// <summary>
    /// CPU load (one caller whose calls spin 200 ms each, up to one core; target 100 milli-CPU per
    /// replica) scales up within max 3, then back to min 1 when it stops. The load is the replicas'
    /// CPU time as the controller reads it from /proc and Prometheus rates it over 10 s.
    /// </summary>
    public Task CpuLoadScalesUpWithinMaxThenBackToMinAsync(string name) =>
        LoadScalesUpWithinMaxThenBackToMinAsync(
            name,
            ["com.openfaas.scale.target=100", "com.openfaas.scale.type=cpu"],
            // One spinning call at a time: the machine is small and shared.
            callers: 1,
            cancellationToken => P.Http.PostAsync($"/function/{name}/spin", new StringContent("200"), cancellationToken),
            // The 10 s rate() window follows the load in both directions.
            upWithin: TimeSpan.FromSeconds(60),
            downWithin: TimeSpan.FromSeconds(60));

    /// <summary>
    /// Deploys with min 1, max 3 and short windows plus <paramref name="scaling"/>; <paramref name="callers"/>
    /// callers make <paramref name="call"/> one after another until it has more than one ready replica
    /// (never more than 3 desired); then the load stops and it must return to 1 replica, 1 live.
    /// </summary>
    private async Task LoadScalesUpWithinMaxThenBackToMinAsync(
        string name, string[] scaling, int callers, Func<CancellationToken, Task<HttpResponseMessage>> call, TimeSpan upWithin, TimeSpan downWithin)
    {
        await deploy(
            name,
            [
                "com.openfaas.scale.min=1",
                "com.openfaas.scale.max=3",
                .. scaling,
                "com.openfaas.scale.down.window=3s",
                "com.openfaas.scale.panic.window=2s",
            ]);
        await P.WaitUntilAsync(async () => (await StatusAsync(name)).Available == 1, TimeSpan.FromSeconds(60), $"{name} to have 1 ready replica");

        using var stop = new CancellationTokenSource(upWithin + TimeSpan.FromSeconds(5));
        var failures = 0;
        var maxSeen = 0;
        var load = Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await call(stop.Token);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
            }
        })).ToArray();

        try
        {
            await P.WaitUntilAsync(
                async () =>
                {
                    var status = await StatusAsync(name);
                    maxSeen = Math.Max(maxSeen, status.Replicas);
                    Assert.True(status.Replicas <= 3, $"desired replicas {status.Replicas} over max 3");
                    return status.Available >= 2;
                },
                upWithin,
                $"{name} to scale above 1 replica under load");
            Assert.InRange((await replicas.LiveReplicasAsync(name)).Count, 2, 3);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(load);
        }

        Assert.Equal(0, Volatile.Read(ref failures));
        Assert.InRange(maxSeen, 2, 3);

        await P.WaitUntilAsync(
            async () =>
            {
                var status = await StatusAsync(name);
                Assert.True(status.Replicas <= 3, $"desired replicas {status.Replicas} over max 3");
                return status.Replicas == 1 && status.Available == 1;
            },
            downWithin,
            $"{name} to return to 1 replica after the load");
        await WaitForLiveReplicasAsync(name, 1);
    }

    /// <summary>zero=true: idle goes to zero (no live replica), one call wakes it (200), idle again, a burst of 50 at zero all get 200.</summary>
    public async Task ScaleToZeroWakeAndBurstAsync(string name)
    {
        await deploy(
            name,
            [
                "com.openfaas.scale.zero=true",
                "com.openfaas.scale.zero-duration=3s",
                "com.openfaas.scale.down.window=3s",
                "com.openfaas.scale.panic.window=2s",
            ]);
        await P.WaitUntilAsync(async () => (await StatusAsync(name)).Available == 1, TimeSpan.FromSeconds(60), $"{name} to have 1 ready replica");

        // Idle: to zero, and the replica is gone.
        await WaitForZeroAsync(name);

        // One call wakes it: held until a replica is ready, then 200.
        using (var response = await P.Http.GetAsync($"/function/{name}"))
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{P.Diagnostics()}");
            Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        }

        // Idle again: back to zero.
        await WaitForZeroAsync(name);

        // A burst of 50 at zero: every call is held and then served.
        var burst = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            using var response = await P.Http.GetAsync($"/function/{name}");
            return (int)response.StatusCode;
        }));
        Assert.True(burst.All(code => code == 200), $"statuses: {Histogram(burst)}\n{P.Diagnostics()}");
    }

    /// <summary>
    /// The warm tier: an idle function's replica is paused (not removed), a call resumes that same
    /// replica and is answered, and a burst of 30 at pause all get 200 from it.
    /// </summary>
    public async Task WarmTierPauseResumeAsync(string name)
    {
        await deploy(
            name,
            [
                "com.openfaas.scale.pause-duration=2s",
                "com.openfaas.scale.down.window=3s",
                "com.openfaas.scale.panic.window=2s",
            ]);
        await P.WaitUntilAsync(async () => (await StatusAsync(name)).Available == 1, TimeSpan.FromSeconds(60), $"{name} to have 1 ready replica");
        var replica = Assert.Single(await replicas.LiveReplicasAsync(name));

        // Idle: the replica is frozen, not gone; the function keeps its replica.
        await WaitForPausedAsync(replica);
        Assert.Equal((1, 0), await StatusAsync(name));

        // A call resumes that very replica and is answered.
        using (var response = await P.Http.GetAsync($"/function/{name}"))
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{P.Diagnostics()}");
            Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        }

        Assert.False(await replicas.IsPausedAsync(replica), $"replica {replica} still paused after a call was answered");
        Assert.Equal([replica], await replicas.LiveReplicasAsync(name));

        // Paused again; a burst of 30 concurrent calls all succeed on the resumed replica.
        await WaitForPausedAsync(replica);
        var burst = await Task.WhenAll(Enumerable.Range(0, 30).Select(async _ =>
        {
            using var response = await P.Http.GetAsync($"/function/{name}");
            return (int)response.StatusCode;
        }));
        Assert.True(burst.All(code => code == 200), $"statuses: {Histogram(burst)}\n{P.Diagnostics()}");
        Assert.Equal([replica], await replicas.LiveReplicasAsync(name));
    }

    /// <summary>Desired and ready replicas per the system API; (-1, -1) when the function is not found.</summary>
    public async Task<(int Replicas, int Available)> StatusAsync(string name)
    {
        using var response = await P.Admin.GetAsync($"/system/function/{name}");
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (-1, -1);
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        // Zero counts are left out of the JSON (as OpenFaaS does).
        return (Count(root, "replicas"), Count(root, "availableReplicas"));

        static int Count(JsonElement root, string property) =>
            root.TryGetProperty(property, out var value) ? value.GetInt32() : 0;
    }

    private async Task WaitForZeroAsync(string name)
    {
        await P.WaitUntilAsync(
            async () =>
            {
                var status = await StatusAsync(name);
                return status.Replicas == 0 && status.Available == 0;
            },
            TimeSpan.FromSeconds(40),
            $"{name} to scale to zero");
        await WaitForLiveReplicasAsync(name, 0);
    }

    private async Task WaitForLiveReplicasAsync(string name, int count) =>
        await P.WaitUntilAsync(async () => (await replicas.LiveReplicasAsync(name)).Count == count, TimeSpan.FromSeconds(30), $"{name} to have {count} live replica(s)");

    private async Task WaitForPausedAsync(string replica) =>
        await P.WaitUntilAsync(() => replicas.IsPausedAsync(replica), TimeSpan.FromSeconds(40), $"replica {replica} to be paused");

    private static string Histogram(int[] statuses) =>
        string.Join(',', statuses.GroupBy(c => c).Select(g => $"{g.Key}x{g.Count()}"));
}

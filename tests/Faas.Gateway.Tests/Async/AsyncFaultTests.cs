using System.Collections.Concurrent;
using System.Diagnostics;
using Faas.Gateway.Async;
using Xunit.Abstractions;

namespace Faas.Gateway.Tests.Async;

/// <summary>
/// Crash and restart while async calls flow: no accepted call may be lost (duplicates are allowed
/// and counted).
/// </summary>
public sealed class AsyncFaultTests(ITestOutputHelper output)
{
    private const int Calls = 2000;
    private const int Producers = 16;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task WorkerCrashAndNatsRestart_EveryAcceptedCallIsCalledBackAtLeastOnce()
    {
        await using var rig = await AsyncRig.StartAsync(new Dictionary<string, string?>
        {
            [AsyncOptionsReader.AckWaitKey] = "2s",
            [AsyncOptionsReader.MaxInflightKey] = "32",
            [AsyncOptionsReader.MaxInflightPerFunctionKey] = "32",
            [AsyncOptionsReader.MaxRetryAttemptsKey] = "20",
        });
        await rig.AddFunctionAsync("work", async (c, _) =>
        {
            await Task.Delay(Random.Shared.Next(0, 5));
            await c.Response.WriteAsync(c.Request.Headers["X-Call-Id"].ToString());
        });

        var clock = Stopwatch.StartNew();
        var ids = Enumerable.Range(0, Calls).Select(_ => Guid.NewGuid().ToString()).ToArray();
        var accepted = new ConcurrentDictionary<string, byte>();
        var rejected = 0;
        var next = -1;
        var gatewayUp = true;

        async Task ProduceAsync()
        {
            while (true)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= Calls)
                {
                    return;
                }

                // A client that retries with the same X-Call-Id until the gateway accepts.
                while (true)
                {
                    Assert.True(clock.Elapsed < Deadline, $"call {i} not accepted within {Deadline}");
                    if (Volatile.Read(ref gatewayUp))
                    {
                        try
                        {
                            using var response = await rig.EnqueueAsync("work", callId: ids[i]);
                            if (response.StatusCode == HttpStatusCode.Accepted)
                            {
                                accepted[ids[i]] = 0;
                                break;
                            }
                        }
                        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or ObjectDisposedException)
                        {
                            // The gateway went away under us.
                        }

                        Interlocked.Increment(ref rejected);
                    }

                    await Task.Delay(100);
                }
            }
        }

        var producers = Enumerable.Range(0, Producers).Select(_ => Task.Run(ProduceAsync)).ToArray();

        // A quarter of the way in: crash the gateway (and its worker), restart NATS, start a new gateway.
        while (accepted.Count < Calls / 4)
        {
            await Task.Delay(10);
        }

        Volatile.Write(ref gatewayUp, false);
        var callbacksAtCrash = rig.Callbacks.All.Count;
        await rig.KillGatewayAsync();
        await rig.Nats.RestartAsync();
        await rig.StartGatewayAsync();
        Volatile.Write(ref gatewayUp, true);

        // Half way: restart NATS again under the running gateway (it reconnects; clients see 503 meanwhile).
        while (accepted.Count < Calls / 2)
        {
            await Task.Delay(10);
        }

        await rig.Nats.RestartAsync();

        await Task.WhenAll(producers);
        var enqueued = clock.Elapsed;
        while (accepted.Keys.Any(id => !rig.Callbacks.All.Any(c => c.CallId == id)))
        {
            Assert.True(clock.Elapsed < Deadline, $"callbacks missing after {clock.Elapsed}");
            await Task.Delay(250);
        }

        var received = rig.Callbacks.All.ToArray();
        var distinct = received.Select(c => c.CallId).Distinct().Count();
        var missing = accepted.Keys.Count(id => received.All(c => c.CallId != id));
        output.WriteLine($"N={Calls}, accepted {accepted.Count}, rejected attempts {rejected}, callbacks {received.Length} ({distinct} distinct, {received.Length - distinct} duplicates), " +
                         $"{callbacksAtCrash} callbacks before the crash, all enqueued after {enqueued.TotalSeconds:0.0}s, done after {clock.Elapsed.TotalSeconds:0.0}s");
        Assert.Equal(Calls, accepted.Count);
        Assert.Equal(0, missing);
        Assert.All(received, c => Assert.Equal(200, c.FunctionStatus));
        Assert.All(received, c => Assert.Equal(c.CallId, c.Body));
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using Faas.Gateway.Async;
using Faas.Gateway.Tests.Fakes;
using Faas.Testing.Nats;
using Xunit.Abstractions;

namespace Faas.Gateway.Tests.Async;

/// <summary>
/// Crashes and restarts of real processes while async calls flow: no accepted call may be lost
/// (duplicates are allowed, counted and reported).
/// </summary>
public sealed class AsyncFaultTests(ITestOutputHelper output)
{
    private const int Calls = 2000;
    private const int Producers = 16;
    private const string Function = "work";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(110);

    /// <remarks>
    /// The gateway (enqueue only, <c>queue_worker=false</c>) and the queue worker
    /// (<c>role=queue-worker</c>) are the real gateway binary in their own processes; nats-server
    /// keeps its file store across restarts; the controller, the replica and the callback receiver
    /// are in-process fakes. Clients retry with the same <c>X-Call-Id</c> until they get 202.
    /// 1. Once a quarter of the calls are accepted and callbacks are flowing: kill -9 the worker.
    /// 2. Restart nats-server. 3. kill -9 the gateway and start it again. 4. Start a new worker.
    /// 5. Once the new worker has called back a quarter of the calls: restart nats-server again
    ///    under the running gateway and worker (calls still in flight, clients may still be posting).
    /// 6. Every accepted call's callback must arrive at least once.
    /// </remarks>
    [Fact]
    public async Task WorkerKilledNatsAndGatewayRestarted_EveryAcceptedCallIsCalledBackAtLeastOnce()
    {
        var disposables = new Stack<IAsyncDisposable>();
        GatewayProcess? gateway = null;
        GatewayProcess? worker = null;
        try
        {
            var nats = await NatsServer.StartAsync();
            disposables.Push(nats);
            var controller = await FakeController.StartAsync();
            disposables.Push(controller);
            var callbacks = await CallbackReceiver.StartAsync();
            disposables.Push(callbacks);
            var replica = await LocalServer.StartAsync(app => app.Map("/{**path}", async (HttpContext c) =>
            {
                await Task.Delay(Random.Shared.Next(0, 5));
                await c.Response.WriteAsync(c.Request.Headers["X-Call-Id"].ToString());
            }));
            disposables.Push(replica);
            controller.SetFunctions(FakeController.Function(Function, "openfaas-fn", ("work-1", replica.Url)));

            var common = new Dictionary<string, string>
            {
                ["functions_provider_url"] = controller.Url,
                [AsyncOptionsReader.NatsUrlKey] = nats.Url,
                [AsyncOptionsReader.AckWaitKey] = "2s",
                [AsyncOptionsReader.InitialRetryWaitKey] = "20ms",
                [AsyncOptionsReader.MaxRetryWaitKey] = "200ms",
                [AsyncOptionsReader.MaxRetryAttemptsKey] = "20",
            };
            var gatewayPort = LocalServer.ClosedPort();
            var gatewaySettings = new Dictionary<string, string>(common) { [AsyncOptionsReader.QueueWorkerKey] = "false" };
            var workerSettings = new Dictionary<string, string>(common)
            {
                [AsyncOptionsReader.RoleKey] = AsyncOptionsReader.QueueWorkerRole,
                [AsyncOptionsReader.GatewayUrlKey] = $"http://127.0.0.1:{gatewayPort}",
                [AsyncOptionsReader.MaxInflightKey] = "32",
                [AsyncOptionsReader.MaxInflightPerFunctionKey] = "32",
            };
            gateway = await GatewayProcess.StartAsync(gatewayPort, gatewaySettings);
            worker = await GatewayProcess.StartAsync(LocalServer.ClosedPort(), workerSettings);

            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5) })
            {
                BaseAddress = new Uri(gateway.Url),
                Timeout = TimeSpan.FromSeconds(10),
            };
            var clock = Stopwatch.StartNew();
            var ids = Enumerable.Range(0, Calls).Select(_ => Guid.NewGuid().ToString()).ToArray();
            var accepted = new ConcurrentDictionary<string, byte>();
            var rejected = 0;
            var next = -1;

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
                        try
                        {
                            using var request = new HttpRequestMessage(HttpMethod.Post, $"/async-function/{Function}") { Content = new StringContent("payload") };
                            request.Headers.Add("X-Call-Id", ids[i]);
                            request.Headers.Add("X-Callback-Url", callbacks.Url);
                            using var response = await client.SendAsync(request);
                            if (response.StatusCode == HttpStatusCode.Accepted)
                            {
                                accepted[ids[i]] = 0;
                                break;
                            }
                        }
                        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                        {
                            // The gateway is down or went away under us.
                        }

                        Interlocked.Increment(ref rejected);
                        await Task.Delay(100);
                    }
                }
            }

            var producers = Enumerable.Range(0, Producers).Select(_ => Task.Run(ProduceAsync)).ToArray();

            // 1. Calls are being accepted and run: kill -9 the worker.
            await WaitUntilAsync(() => accepted.Count >= Calls / 4 && !callbacks.All.IsEmpty, clock, "a quarter accepted and a first callback");
            var callbacksAtKill = callbacks.All.Count;
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: kill -9 {worker.Pid} (queue worker) after {accepted.Count} accepted, {callbacksAtKill} callbacks");
            await worker.KillAsync();

            // 2. Restart nats-server (same file store).
            await nats.RestartAsync();
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: nats-server restarted (pid {nats.Pid})");

            // 3. kill -9 the gateway, start it again on the same port.
            var killedGateway = gateway.Pid;
            await gateway.KillAsync();
            await gateway.DisposeAsync();
            gateway = null;
            gateway = await GatewayProcess.StartAsync(gatewayPort, gatewaySettings);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: kill -9 {killedGateway} (gateway), started again as {gateway.Pid}");

            // 4. A new worker.
            await worker.DisposeAsync();
            worker = null;
            worker = await GatewayProcess.StartAsync(LocalServer.ClosedPort(), workerSettings);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: new queue worker {worker.Pid}");

            // 5. NATS restarts under the running gateway and worker (they reconnect; clients see 503 meanwhile).
            await WaitUntilAsync(() => callbacks.All.Count >= callbacksAtKill + Calls / 4, clock, "a quarter called back by the new worker");
            await nats.RestartAsync();
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: nats-server restarted again (pid {nats.Pid}) after {accepted.Count} accepted, {callbacks.All.Count} callbacks");

            await Task.WhenAll(producers);
            var allAccepted = clock.Elapsed;

            // 6. Every accepted call called back.
            while (accepted.Keys.Any(id => !callbacks.All.Any(c => c.CallId == id)))
            {
                if (clock.Elapsed > Deadline)
                {
                    var seen = callbacks.All.Select(c => c.CallId).ToHashSet();
                    Assert.Fail($"{accepted.Keys.Count(id => !seen.Contains(id))} accepted calls without a callback after {clock.Elapsed}.\n" +
                                $"gateway:\n{Tail(gateway.Output)}\nworker:\n{Tail(worker.Output)}\nnats:\n{Tail(nats.Output)}");
                }

                await Task.Delay(250);
            }

            var received = callbacks.All.ToArray();
            var distinct = received.Select(c => c.CallId).Distinct().Count();
            var missing = accepted.Keys.Count(id => received.All(c => c.CallId != id));
            output.WriteLine($"N={Calls}: accepted {accepted.Count}, rejected attempts {rejected}, callbacks {received.Length} " +
                             $"({distinct} distinct, {received.Length - distinct} duplicates, {missing} missing), {callbacksAtKill} callbacks before the kill, " +
                             $"all accepted after {allAccepted.TotalSeconds:0.0}s, all called back after {clock.Elapsed.TotalSeconds:0.0}s");
            Assert.Equal(Calls, accepted.Count);
            Assert.Equal(0, missing);
            Assert.All(received, c => Assert.Equal(200, c.FunctionStatus));
            Assert.All(received, c => Assert.Equal(c.CallId, c.Body));
        }
        finally
        {
            // Processes first (by PID), then the in-process fakes, nats-server last.
            if (worker is not null)
            {
                await worker.DisposeAsync();
            }

            if (gateway is not null)
            {
                await gateway.DisposeAsync();
            }

            while (disposables.TryPop(out var disposable))
            {
                await disposable.DisposeAsync();
            }
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, Stopwatch clock, string what)
    {
        while (!condition())
        {
            Assert.True(clock.Elapsed < Deadline, $"not reached within {Deadline}: {what}");
            await Task.Delay(10);
        }
    }

    private static string Tail(string text, int lines = 40) =>
        string.Join('\n', text.Split('\n').TakeLast(lines));
}

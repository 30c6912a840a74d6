using System.Diagnostics;
using System.Net.Http.Json;
using Faas.Gateway.Async;
using Faas.Gateway.Tests.Fakes;
using Microsoft.Extensions.Configuration;

namespace Faas.Gateway.Tests.Async;

/// <summary>Async invocation through the real gateway, a real nats-server, a fake controller and fake replicas.</summary>
public sealed class AsyncInvokeTests
{
    private static Task Reply(HttpContext context, int status, string body, params (string Name, string Value)[] headers)
    {
        context.Response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            context.Response.Headers[name] = value;
        }

        return context.Response.WriteAsync(body);
    }

    [Fact]
    public async Task NatsNotConfigured_SyncWorks_AsyncAnswers503NamingTheKeys()
    {
        await using var replica = await FakeReplica.StartAsync("echo-1");
        await using var controller = await FakeController.StartAsync();
        controller.SetFunctions(FakeController.Function("echo", replica));
        await using var gateway = await GatewayHost.StartAsync(controller.Url);
        await gateway.WaitForReadyAsync("echo");

        using var sync = await gateway.Client.PostAsync("/function/echo", new StringContent("x"));
        using var async = await gateway.Client.PostAsync("/async-function/echo", new StringContent("x"));

        Assert.Equal(HttpStatusCode.OK, sync.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, async.StatusCode);
        var message = await async.Content.ReadAsStringAsync();
        Assert.Contains("nats_url", message);
        Assert.Contains("faas_nats_address", message);
    }

    [Fact]
    public async Task NatsUnreachable_Answers503WithTheReason_NotAccepted()
    {
        await using var controller = await FakeController.StartAsync();
        controller.AddKnownFunction("echo");
        var closed = LocalServer.ClosedPort();
        await using var gateway = await GatewayHost.StartAsync(controller.Url, new Dictionary<string, string?>
        {
            [AsyncOptionsReader.NatsUrlKey] = $"nats://127.0.0.1:{closed}",
        });

        using var response = await gateway.Client.PostAsync("/async-function/echo", new StringContent("x"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Call-Id") && response.StatusCode == HttpStatusCode.Accepted);
        Assert.Contains($"127.0.0.1:{closed}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void InvalidConfiguration_ReportsEveryAsyncErrorAtOnce()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [AsyncOptionsReader.NatsUrlKey] = "http://nats",
            [AsyncOptionsReader.MaxInflightKey] = "0",
            [AsyncOptionsReader.RetryHttpCodesKey] = "500,abc",
            [AsyncOptionsReader.AckWaitKey] = "forever",
            [AsyncOptionsReader.FetchBatchKey] = "0",
        }).Build();
        var errors = new List<string>();

        AsyncOptionsReader.TryRead(configuration, errors);

        Assert.Equal(5, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("fetch_batch="));
        Assert.Contains(errors, e => e.StartsWith("nats_url="));
        Assert.Contains(errors, e => e.StartsWith("max_inflight="));
        Assert.Contains(errors, e => e.StartsWith("retry_http_codes="));
        Assert.Contains(errors, e => e.StartsWith("ack_wait="));
    }

    [Fact]
    public void GatewayAndAsyncErrors_AreReportedTogether()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [AsyncOptionsReader.NatsUrlKey] = "nats://127.0.0.1:4222",
            [AsyncOptionsReader.MaxAsyncBodyKey] = "huge",
            [AsyncOptionsReader.RoleKey] = "cook",
        }).Build();

        var error = Assert.Throws<Faas.Gateway.Configuration.GatewayOptionsException>(() => Faas.Gateway.Configuration.GatewayOptionsReader.Read(configuration));

        Assert.Contains(error.Errors, e => e.StartsWith("functions_provider_url is required"));
        Assert.Contains(error.Errors, e => e.StartsWith("max_async_body="));
        Assert.Contains(error.Errors, e => e.StartsWith("role="));
    }

    [Fact]
    public async Task Enqueue_RejectsUnknownFunctionBadCallbackAndLargeBody()
    {
        await using var rig = await AsyncRig.StartAsync(new Dictionary<string, string?> { [AsyncOptionsReader.MaxAsyncBodyKey] = "16" });
        await rig.AddFunctionAsync("known", (c, _) => Reply(c, 200, "ok"));

        using var unknown = await rig.EnqueueAsync("nope");
        using var tooLarge = await rig.EnqueueAsync("known", body: new string('x', 17));
        using var badCallback = new HttpRequestMessage(HttpMethod.Post, "/async-function/known") { Content = new StringContent("x") };
        badCallback.Headers.Add("X-Callback-Url", "ftp://receiver/done");
        using var bad = await rig.Gateway.Client.SendAsync(badCallback);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Contains("max_async_body (16 bytes)", await tooLarge.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("X-Callback-Url", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task FailsTwiceThenSucceeds_CalledThreeTimes_CallbackGets200WithBodyAndHeaders()
    {
        await using var rig = await AsyncRig.StartAsync();
        var seen = new List<string>();
        await rig.AddFunctionAsync("flaky", async (c, n) =>
        {
            using var reader = new StreamReader(c.Request.Body);
            lock (seen)
            {
                seen.Add($"{c.Request.Method} {c.Request.Path}{c.Request.QueryString} {reader.ReadToEndAsync().Result} {c.Request.Headers["X-Custom"]}");
            }

            await (n <= 2 ? Reply(c, 500, "boom") : Reply(c, 200, "done!", ("X-Result", "42"), ("Content-Type", "text/plain")));
        });

        using var request = new HttpRequestMessage(HttpMethod.Post, "/async-function/flaky/sub/path?q=1") { Content = new StringContent("in") };
        request.Headers.Add("X-Callback-Url", rig.Callbacks.Url);
        request.Headers.Add("X-Custom", "c1");
        using var response = await rig.Gateway.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var callId = response.Headers.GetValues("X-Call-Id").Single();

        var callback = await rig.Callbacks.NextAsync();

        Assert.Equal(callId, callback.CallId);
        Assert.Equal(200, callback.FunctionStatus);
        Assert.Equal("flaky.openfaas-fn", callback.FunctionName);
        Assert.Equal("done!", callback.Body);
        Assert.Equal("42", callback.Headers["X-Result"]);
        Assert.True(double.TryParse(callback.Headers["X-Duration-Seconds"], System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.Equal(3, seen.Count);
        Assert.All(seen, s => Assert.Equal("POST /sub/path?q=1 in c1", s));
        var status = await rig.WaitForStatusAsync(callId, s => s.Status == CallStatus.Succeeded);
        Assert.Equal(3, status.Attempts);
        Assert.Equal(200, status.LastStatusCode);
    }

    [Fact]
    public async Task AlwaysFailing_EndsInDeadLetters_StatusFailed_CallbackToldOfFailure_RedriveRunsItAgain()
    {
        await using var rig = await AsyncRig.StartAsync(new Dictionary<string, string?> { [AsyncOptionsReader.MaxRetryAttemptsKey] = "3" });
        var calls = 0;
        var succeed = false;
        await rig.AddFunctionAsync("broken", (c, _) =>
        {
            Interlocked.Increment(ref calls);
            return Volatile.Read(ref succeed) ? Reply(c, 200, "fixed") : Reply(c, 503, "still broken");
        });

        using var response = await rig.EnqueueAsync("broken");
        var callId = response.Headers.GetValues("X-Call-Id").Single();
        var callback = await rig.Callbacks.NextAsync();

        Assert.Equal(503, callback.FunctionStatus);
        Assert.Equal("still broken", callback.Body);
        Assert.Equal(3, calls);
        var status = await rig.WaitForStatusAsync(callId, s => s.Status == CallStatus.Failed);
        Assert.Equal(3, status.Attempts);
        Assert.Equal(503, status.LastStatusCode);

        var letters = await rig.Gateway.Client.GetFromJsonAsync<List<DeadLetter>>("/system/async/dead-letters");
        var letter = Assert.Single(letters!);
        Assert.Equal(callId, letter.CallId);
        Assert.Equal(3, letter.Failure!.Attempts);

        Volatile.Write(ref succeed, true);
        using var redrive = await rig.Gateway.Client.PostAsync($"/system/async/dead-letters/{callId}/redrive", null);
        Assert.Equal(HttpStatusCode.OK, redrive.StatusCode);
        var again = await rig.Callbacks.NextAsync();
        Assert.Equal(200, again.FunctionStatus);
        Assert.Equal("fixed", again.Body);
        Assert.Empty((await rig.Gateway.Client.GetFromJsonAsync<List<DeadLetter>>("/system/async/dead-letters"))!);
        await rig.WaitForStatusAsync(callId, s => s.Status == CallStatus.Succeeded);
    }

    [Fact]
    public async Task UnreachableReplica_IsRetried_ThenTheCallbackHearsTheGateways502()
    {
        await using var rig = await AsyncRig.StartAsync(new Dictionary<string, string?>
        {
            [AsyncOptionsReader.MaxRetryAttemptsKey] = "2",
        });
        rig.Controller.SetFunctions(FakeController.Function("gone", "openfaas-fn", ("gone-1", LocalServer.ClosedPortUrl())));
        await rig.Gateway.WaitForReadyAsync("gone");

        using var response = await rig.EnqueueAsync("gone");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var callback = await rig.Callbacks.NextAsync();

        // The gateway's own 502 carries X-OpenFaaS-Internal, so it is retried, then reported.
        Assert.Equal(502, callback.FunctionStatus);
    }

    [Fact]
    public async Task RetryAfter_IsHonoured()
    {
        await using var rig = await AsyncRig.StartAsync();
        var times = new List<long>();
        await rig.AddFunctionAsync("busy", (c, n) =>
        {
            lock (times)
            {
                times.Add(Stopwatch.GetTimestamp());
            }

            return n == 1 ? Reply(c, 429, "later", ("Retry-After", "2")) : Reply(c, 200, "now");
        });

        using var response = await rig.EnqueueAsync("busy");
        var callback = await rig.Callbacks.NextAsync();

        Assert.Equal(200, callback.FunctionStatus);
        Assert.Equal(2, times.Count);
        Assert.True(Stopwatch.GetElapsedTime(times[0], times[1]) >= TimeSpan.FromSeconds(1.9), $"retried after {Stopwatch.GetElapsedTime(times[0], times[1])}");
    }

    [Fact]
    public async Task DuplicateCallId_Answers202WithTheSameId_AndRunsOnce()
    {
        await using var rig = await AsyncRig.StartAsync();
        var calls = 0;
        await rig.AddFunctionAsync("once", (c, _) =>
        {
            Interlocked.Increment(ref calls);
            return Reply(c, 200, "ok");
        });
        var callId = Guid.NewGuid().ToString();

        using var first = await rig.EnqueueAsync("once", callId: callId);
        using var second = await rig.EnqueueAsync("once", callId: callId);
        await rig.Callbacks.NextAsync();
        await Task.Delay(1000);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(callId, first.Headers.GetValues("X-Call-Id").Single());
        Assert.Equal(callId, second.Headers.GetValues("X-Call-Id").Single());
        Assert.Equal(1, calls);
        Assert.Single(rig.Callbacks.All);
    }

    [Fact]
    public async Task Status_GoesQueuedRunningSucceeded_AndUnknownIs404()
    {
        await using var rig = await AsyncRig.StartAsync(new Dictionary<string, string?> { [AsyncOptionsReader.QueueWorkerKey] = "true" });
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await rig.AddFunctionAsync("slow", async (c, _) =>
        {
            await release.Task;
            await Reply(c, 200, "slow done");
        });

        using var response = await rig.EnqueueAsync("slow", callback: false);
        var callId = response.Headers.GetValues("X-Call-Id").Single();
        var running = await rig.WaitForStatusAsync(callId, s => s.Status is CallStatus.Queued or CallStatus.Running);
        running = await rig.WaitForStatusAsync(callId, s => s.Status == CallStatus.Running);
        release.SetResult();
        var done = await rig.WaitForStatusAsync(callId, s => s.Status == CallStatus.Succeeded);

        Assert.Equal("slow.openfaas-fn", done.Function);
        Assert.NotNull(running.StartedAt);
        Assert.NotNull(done.FinishedAt);
        Assert.True(done.EnqueuedAt <= done.StartedAt && done.StartedAt <= done.FinishedAt);
        Assert.Null(await rig.StatusAsync(Guid.NewGuid().ToString()));
    }

    [Fact]
    public async Task EnqueueOnly_LeavesTheCallQueued()
    {
        await using var rig = await AsyncRig.StartAsync(new Dictionary<string, string?> { [AsyncOptionsReader.QueueWorkerKey] = "false" });
        await rig.AddFunctionAsync("idle", (c, _) => Reply(c, 200, "ok"));

        using var response = await rig.EnqueueAsync("idle");
        var callId = response.Headers.GetValues("X-Call-Id").Single();
        await Task.Delay(500);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(CallStatus.Queued, (await rig.StatusAsync(callId))!.Status);
        Assert.Empty(rig.Callbacks.All);
    }
    [Fact]
    public async Task Worker_AsksForAsManyCallsAsItHasFreeSlots_InOnePullRequest()
    {
        const int queued = 24;
        await using var rig = await AsyncRig.StartAsync(new Dictionary<string, string?> { [AsyncOptionsReader.QueueWorkerKey] = "false" });
        await rig.AddFunctionAsync("batched", (c, _) => Reply(c, 200, "ok"));
        for (var i = 0; i < queued; i++)
        {
            using var response = await rig.EnqueueAsync("batched");
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        // The pull requests the worker sends, seen as a plain subscriber of the consumer's API subject.
        await using var spy = new Faas.Nats.NatsConnection(new Faas.Nats.NatsOpts { Url = rig.Nats.Url });
        await using var pulls = await spy.SubscribeCoreAsync<string>("$JS.API.CONSUMER.MSG.NEXT.faas-async.faas-workers");
        await spy.PingAsync();
        await using var worker = await GatewayHost.StartAsync(rig.Controller.Url, new Dictionary<string, string?>
        {
            [AsyncOptionsReader.NatsUrlKey] = rig.Nats.Url,
            [AsyncOptionsReader.RoleKey] = AsyncOptionsReader.QueueWorkerRole,
            [AsyncOptionsReader.GatewayUrlKey] = rig.Gateway.Url,
            [AsyncOptionsReader.MaxInflightKey] = "8",
            [AsyncOptionsReader.MaxInflightPerFunctionKey] = "8",
            [AsyncOptionsReader.FetchBatchKey] = "6",
        });
        for (var i = 0; i < queued; i++)
        {
            await rig.Callbacks.NextAsync();
        }

        using var read = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var first = await pulls.Msgs.ReadAsync(read.Token);
        var batches = new List<int> { Batch(first.Data!) };
        while (pulls.Msgs.TryRead(out var more))
        {
            batches.Add(Batch(more.Data!));
        }

        // All 8 slots free at the start, but fetch_batch caps one request at 6.
        Assert.Equal(6, batches[0]);
        Assert.All(batches, b => Assert.InRange(b, 1, 6));
        Assert.Equal(queued, rig.Callbacks.All.Select(c => c.CallId).Distinct().Count());

        static int Batch(string json) => System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("batch").GetInt32();
    }

    [Fact]
    public async Task QueueWorkerRole_ServesOnlyHealth_AndRunsCallsThroughTheGivenGateway()
    {
        await using var rig = await AsyncRig.StartAsync(new Dictionary<string, string?> { [AsyncOptionsReader.QueueWorkerKey] = "false" });
        await rig.AddFunctionAsync("split", (c, _) => Reply(c, 200, "from the worker process"));
        await using var worker = await GatewayHost.StartAsync(rig.Controller.Url, new Dictionary<string, string?>
        {
            [AsyncOptionsReader.NatsUrlKey] = rig.Nats.Url,
            [AsyncOptionsReader.RoleKey] = AsyncOptionsReader.QueueWorkerRole,
            [AsyncOptionsReader.GatewayUrlKey] = rig.Gateway.Url,
        });

        using var health = await worker.Client.GetAsync("/healthz");
        using var invoke = await worker.Client.PostAsync("/function/split", new StringContent("x"));
        using var enqueue = await worker.Client.PostAsync("/async-function/split", new StringContent("x"));
        using var accepted = await rig.EnqueueAsync("split");
        var callback = await rig.Callbacks.NextAsync();

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, invoke.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, enqueue.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal("from the worker process", callback.Body);
    }
    [Fact]
    public async Task NatsGoesAway_EnqueueAnswers503_ThenAcceptsAgainWhenItIsBack()
    {
        await using var rig = await AsyncRig.StartAsync();
        await rig.AddFunctionAsync("steady", (c, _) => Reply(c, 200, "ok"));

        await rig.Nats.StopAsync();
        using var down = await rig.EnqueueAsync("steady");
        await rig.Nats.StartAgainAsync();
        HttpResponseMessage? up = null;
        for (var i = 0; i < 100 && up?.StatusCode != HttpStatusCode.Accepted; i++)
        {
            up?.Dispose();
            await Task.Delay(100);
            up = await rig.EnqueueAsync("steady");
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.False(down.Headers.Contains("X-Call-Id") && down.StatusCode == HttpStatusCode.Accepted);
        Assert.Equal(HttpStatusCode.Accepted, up!.StatusCode);
        var callback = await rig.Callbacks.NextAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(up.Headers.GetValues("X-Call-Id").Single(), callback.CallId);
        up.Dispose();
    }
    [Fact]
    public async Task GracefulStop_FinishesTheCallInFlight()
    {
        await using var rig = await AsyncRig.StartAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await rig.AddFunctionAsync("draining", async (c, _) =>
        {
            started.TrySetResult();
            await release.Task;
            await Reply(c, 200, "finished while stopping");
        });

        using var response = await rig.EnqueueAsync("draining");
        await started.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var stopping = rig.Gateway.App.StopAsync();
        await Task.Delay(200);
        release.SetResult();
        await stopping;
        var callback = await rig.Callbacks.NextAsync(TimeSpan.FromSeconds(5));

        Assert.Equal("finished while stopping", callback.Body);
    }
    [Fact]
    public async Task CallbackUnreachable_IsRetried_AndRecordedInTheStatus()
    {
        await using var rig = await AsyncRig.StartAsync();
        await rig.AddFunctionAsync("fine", (c, _) => Reply(c, 200, "ok"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/async-function/fine") { Content = new StringContent("x") };
        request.Headers.Add("X-Callback-Url", LocalServer.ClosedPortUrl() + "/cb");

        using var response = await rig.Gateway.Client.SendAsync(request);
        var callId = response.Headers.GetValues("X-Call-Id").Single();
        var status = await rig.WaitForStatusAsync(callId, s => s.Status == CallStatus.Succeeded);

        Assert.Equal(200, status.LastStatusCode);
        Assert.Contains("the callback is unreachable", status.CallbackError);
    }
    [Fact]
    public async Task RetryAnnotations_OverrideTheGatewayPolicy()
    {
        await using var rig = await AsyncRig.StartAsync(new Dictionary<string, string?> { [AsyncOptionsReader.MaxRetryAttemptsKey] = "6" });
        var calls = 0;
        rig.Controller.SetAnnotations("picky", new Dictionary<string, string>
        {
            [FunctionRetryPolicies.AttemptsAnnotation] = "2",
            [FunctionRetryPolicies.CodesAnnotation] = "418",
        });
        await rig.AddFunctionAsync("picky", (c, _) =>
        {
            Interlocked.Increment(ref calls);
            return Reply(c, 418, "teapot");
        });

        using var response = await rig.EnqueueAsync("picky");
        var callback = await rig.Callbacks.NextAsync();

        Assert.Equal(418, callback.FunctionStatus);
        Assert.Equal(2, calls);
    }
}

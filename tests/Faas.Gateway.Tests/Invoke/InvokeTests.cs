using System.Diagnostics;
using System.Net.Http.Json;
using Faas.Gateway.Tests.Fakes;

namespace Faas.Gateway.Tests.Invoke;

/// <summary>Sync invocation through the real gateway against a fake controller and fake replicas.</summary>
public sealed class InvokeTests
{
    private static async Task<EchoedRequest> EchoAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<EchoedRequest>(FakeReplica.Json))!;
    }

    [Fact]
    public async Task Invoke_ForwardsMethodPathQueryBodyAndHeaders_ToReadyReplica()
    {
        await using var replica = await FakeReplica.StartAsync("echo-1");
        await using var controller = await FakeController.StartAsync();
        controller.SetFunctions(FakeController.Function("echo", replica));
        await using var gateway = await GatewayHost.StartAsync(controller.Url);
        await gateway.WaitForReadyAsync("echo");

        using var request = new HttpRequestMessage(HttpMethod.Put, "/function/echo/a/b%20c?x=1&y=two")
        {
            Content = new StringContent("hello body", Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("X-Custom", "custom-value");
        using var response = await gateway.Client.SendAsync(request);
        var echoed = await EchoAsync(response);

        Assert.Equal("echo-1", echoed.Replica);
        Assert.Equal("PUT", echoed.Method);
        Assert.Equal("/a/b c", echoed.Path);
        Assert.Equal("?x=1&y=two", echoed.Query);
        Assert.Equal("hello body", echoed.Body);
        Assert.Equal("custom-value", echoed.Headers["X-Custom"]);
        Assert.StartsWith("text/plain", echoed.Headers["Content-Type"]);
        Assert.True(echoed.Headers.ContainsKey("X-Start-Time"));
        Assert.Equal("127.0.0.1", echoed.Headers["X-Forwarded-For"]);
        Assert.Equal(new Uri(gateway.Url).Authority, echoed.Headers["X-Forwarded-Host"]);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
    }

    [Theory]
    [InlineData("/function/echo", "/")]
    [InlineData("/function/echo/", "/")]
    [InlineData("/function/echo/deep/path/", "/deep/path/")]
    [InlineData("/function/echo.openfaas-fn/x", "/x")]
    public async Task Invoke_SendsTheRestOfThePathAfterTheFunctionName(string path, string expected)
    {
        await using var replica = await FakeReplica.StartAsync("echo-1");
        await using var controller = await FakeController.StartAsync();
        controller.SetFunctions(FakeController.Function("echo", replica));
        await using var gateway = await GatewayHost.StartAsync(controller.Url);
        await gateway.WaitForReadyAsync("echo");

        using var response = await gateway.Client.GetAsync(path);

        Assert.Equal(expected, (await EchoAsync(response)).Path);
    }

    [Fact]
    public async Task Invoke_NameDotNamespace_RoutesToThatNamespace()
    {
        await using var inDefault = await FakeReplica.StartAsync("default-1");
        await using var inDev = await FakeReplica.StartAsync("dev-1");
        await using var controller = await FakeController.StartAsync();
        controller.SetFunctions(
            FakeController.Function("echo", inDefault),
            FakeController.Function("echo", "dev", (inDev.Id, inDev.Url)));
        await using var gateway = await GatewayHost.StartAsync(controller.Url);
        await gateway.WaitForReadyAsync("echo", 1, "dev");

        Assert.Equal("dev-1", (await EchoAsync(await gateway.Client.GetAsync("/function/echo.dev"))).Replica);
        Assert.Equal("default-1", (await EchoAsync(await gateway.Client.GetAsync("/function/echo"))).Replica);
    }

    [Fact]
    public async Task Invoke_WithoutCallId_GeneratesOne_AndEchoesItOnTheResponse()
    {
        await using var replica = await FakeReplica.StartAsync("echo-1");
        await using var controller = await FakeController.StartAsync();
        controller.SetFunctions(FakeController.Function("echo", replica));
        await using var gateway = await GatewayHost.StartAsync(controller.Url);
        await gateway.WaitForReadyAsync("echo");

        using var response = await gateway.Client.GetAsync("/function/echo");
        var echoed = await EchoAsync(response);

        var sent = echoed.Headers["X-Call-Id"];
        Assert.True(Guid.TryParse(sent, out _));
        Assert.Equal(sent, Assert.Single(response.Headers.GetValues("X-Call-Id")));
    }

    [Fact]
    public async Task Invoke_WithClientCallId_PassesItUpstream_WithoutEchoingIt()
    {
        await using var replica = await FakeReplica.StartAsync("echo-1");
        await using var controller = await FakeController.StartAsync();
        controller.SetFunctions(FakeController.Function("echo", replica));
        await using var gateway = await GatewayHost.StartAsync(controller.Url);
        await gateway.WaitForReadyAsync("echo");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/function/echo");
        request.Headers.Add("X-Call-Id", "client-call-1");
        using var response = await gateway.Client.SendAsync(request);
        var echoed = await EchoAsync(response);

        Assert.Equal("client-call-1", echoed.Headers["X-Call-Id"]);
        Assert.False(response.Headers.Contains("X-Call-Id"));
    }

    [Fact]
    public async Task Invoke_AddsStartTimeAndMeasuredDuration_ToTheResponse()
    {
        await using var replica = await FakeReplica.StartAsync("echo-1");
        await using var controller = await FakeController.StartAsync();
        controller.SetFunctions(FakeController.Function("echo", replica));
        await using var gateway = await GatewayHost.StartAsync(controller.Url);
        await gateway.WaitForReadyAsync("echo");

        var before = (DateTimeOffset.UtcNow.UtcTicks - DateTime.UnixEpoch.Ticks) * 100;
        using var response = await gateway.Client.GetAsync("/function/echo");
        var echoed = await EchoAsync(response);

        var start = long.Parse(Assert.Single(response.Headers.GetValues("X-Start-Time")));
        Assert.Equal(echoed.Headers["X-Start-Time"], start.ToString());
        Assert.InRange(start, before - 1_000_000_000, before + 10_000_000_000);
        var duration = double.Parse(Assert.Single(response.Headers.GetValues("X-Duration-Seconds")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(duration, 0, 10);
    }

    [Fact]
    public async Task Invoke_KeepsTheWatchdogsDuration_WhenItSentOne()
    {
        await using var replica = await FakeReplica.StartAsync("echo-1");
        await using var controller = await FakeController.StartAsync();
        controller.SetFunctions(FakeController.Function("echo", replica));
        await using var gateway = await GatewayHost.StartAsync(controller.Url);
        await gateway.WaitForReadyAsync("echo");

        using var response = await gateway.Client.GetAsync("/function/echo/with-duration");

        Assert.Equal("0.250000", Assert.Single(response.Headers.GetValues("X-Duration-Seconds")));
        Assert.Single(response.Headers.GetValues("X-Start-Time"));
    }

    [Fact]
    public async Task Invoke_StripsHopByHopHeaders_AndKeepsClientForwardedHeaders()
    {
        await using var replica = await FakeReplica.StartAsync("echo-1");
        await using var controller = await FakeController.StartAsync();
        controller.SetFunctions(FakeController.Function("echo", replica));
        await using var gateway = await GatewayHost.StartAsync(controller.Url);
        await gateway.WaitForReadyAsync("echo");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/function/echo");
        request.Headers.TryAddWithoutValidation("Proxy-Authorization", "Basic secret");
        request.Headers.TryAddWithoutValidation("Keep-Alive", "timeout=5");
        request.Headers.TryAddWithoutValidation("Trailer", "X-Checksum");
        request.Headers.Add("X-Forwarded-For", "10.1.2.3");
        request.Headers.Add("X-Forwarded-Host", "public.example");
        using var response = await gateway.Client.SendAsync(request);
        var echoed = await EchoAsync(response);

        Assert.False(echoed.Headers.ContainsKey("Proxy-Authorization"));
        Assert.False(echoed.Headers.ContainsKey("Keep-Alive"));
        Assert.False(echoed.Headers.ContainsKey("Trailer"));
        Assert.Equal("10.1.2.3", echoed.Headers["X-Forwarded-For"]);
        Assert.Equal("public.example", echoed.Headers["X-Forwarded-Host"]);
    }

    [Fact]
    public async Task Invoke_SpreadsSequentialCallsEvenlyAcrossThreeReplicas()
    {
        await using var r1 = await FakeReplica.StartAsync("r1");
        await using var r2 = await FakeReplica.StartAsync("r2");
        await using var r3 = await FakeReplica.StartAsync("r3");
        await using var controller = await FakeController.StartAsync();
        controller.SetFunctions(FakeController.Function("spread", r1, r2, r3));
        await using var gateway = await GatewayHost.StartAsync(controller.Url);
        await gateway.WaitForReadyAsync("spread", 3);

        for (var i = 0; i < 30; i++)
        {
            using var response = await gateway.Client.GetAsync("/function/spread");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal([10, 10, 10], new[] { r1.Calls, r2.Calls, r3.Calls });
    }

    [Fact]
    public async Task Invoke_SendsConcurrentCallsToTheLeastBusyReplica()
    {
        await using var r1 = await FakeReplica.StartAsync("r1");
        await using var r2 = await FakeReplica.StartAsync("r2");
        await using var controller = await FakeController.StartAsync();
        controller.SetFunctions(FakeController.Function("busy", r1, r2));
        await using var gateway = await GatewayHost.StartAsync(controller.Url, new Dictionary<string, string?> { ["upstream_timeout"] = "30s" });
        await gateway.WaitForReadyAsync("busy", 2);

        // Two slow calls occupy both replicas, one each: least in-flight never stacks them.
        using var cancel = new CancellationTokenSource();
        var slow1 = gateway.Client.GetAsync("/function/busy/slow", cancel.Token);
        await WaitUntilAsync(() => r1.Calls + r2.Calls == 1);
        var slow2 = gateway.Client.GetAsync("/function/busy/slow", cancel.Token);
        await WaitUntilAsync(() => r1.Calls + r2.Calls == 2);

        Assert.Equal(1, r1.Calls);
        Assert.Equal(1, r2.Calls);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow1);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow2);
    }

    [Fact]
    public async Task Invoke_UnknownFunction_Returns404_AndAsksTheControllerOncePerSecond()
    {
        await using var controller = await FakeController.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(controller.Url);
        await gateway.WaitForTableAsync(t => t.Version >= 0);

        for (var i = 0; i < 3; i++)
        {
            using var response = await gateway.Client.PostAsync("/function/nope", new StringContent("x"));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("function 'nope' not found in namespace 'openfaas-fn'", await response.Content.ReadAsStringAsync());
            Assert.Equal("gateway", Assert.Single(response.Headers.GetValues("X-OpenFaaS-Internal")));
        }

        var lookup = Assert.Single(controller.Calls, c => c.PathAndQuery.StartsWith("/system/function/", StringComparison.Ordinal));
        Assert.Equal("/system/function/nope?namespace=openfaas-fn", lookup.PathAndQuery);
    }

    [Fact]
    public async Task Invoke_FunctionKnownToControllerButNotYetInTable_IsHeldThenForwarded()
    {
        await using var replica = await FakeReplica.StartAsync("fresh-1");
        await using var controller = await FakeController.StartAsync();
        controller.AddKnownFunction("fresh");
        await using var gateway = await GatewayHost.StartAsync(controller.Url, new Dictionary<string, string?> { ["ready_wait_timeout"] = "10s" });
        await gateway.WaitForTableAsync(t => t.Version >= 0);

        var call = gateway.Client.GetAsync("/function/fresh");
        await WaitUntilAsync(() => controller.Calls.Any(c => c.PathAndQuery.StartsWith("/system/function/fresh", StringComparison.Ordinal)));
        Assert.False(call.IsCompleted);

        controller.SetFunctions(FakeController.Function("fresh", replica));
        using var response = await call.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("fresh-1", (await EchoAsync(response)).Replica);
    }

    [Fact]
    public async Task Invoke_KnownFunctionWithoutReadyReplica_HoldsUntilReplicaReady_ThenForwards()
    {
        await using var replica = await FakeReplica.StartAsync("cold-1");
        await using var controller = await FakeController.StartAsync();
        controller.SetFunctions(FakeController.Function("cold", "openfaas-fn"));
        await using var gateway = await GatewayHost.StartAsync(controller.Url, new Dictionary<string, string?> { ["ready_wait_timeout"] = "10s" });
        await gateway.WaitForReadyAsync("cold", 0);

        var call = gateway.Client.PostAsync("/function/cold", new StringContent("wake up"));
        await Task.Delay(300);
        Assert.False(call.IsCompleted);

        controller.SetFunctions(FakeController.Function("cold", replica));
        using var response = await call.WaitAsync(TimeSpan.FromSeconds(10));

        var echoed = await EchoAsync(response);
        Assert.Equal("cold-1", echoed.Replica);
        Assert.Equal("wake up", echoed.Body);
    }

    [Fact]
    public async Task Invoke_FunctionScaledToZero_AsksTheControllerForOneReplica_ThenForwardsWhenReady()
    {
        await using var replica = await FakeReplica.StartAsync("zero-1");
        await using var controller = await FakeController.StartAsync();
        controller.SetFunctions(FakeController.ScaledToZero("zero"));
        await using var gateway = await GatewayHost.StartAsync(controller.Url, new Dictionary<string, string?> { ["ready_wait_timeout"] = "10s" });
        await gateway.WaitForReadyAsync("zero", 0);

        var calls = Enumerable.Range(0, 3).Select(_ => gateway.Client.GetAsync("/function/zero")).ToArray();
        await WaitUntilAsync(() => controller.Calls.Any(c => c.Method == "POST"));
        await Task.Delay(100);

        var scale = Assert.Single(controller.Calls, c => c.Method == "POST");
        Assert.Equal("/system/scale-function/zero?namespace=openfaas-fn", scale.PathAndQuery);
        Assert.Equal("{\"serviceName\":\"zero\",\"replicas\":1,\"namespace\":\"openfaas-fn\"}", scale.Body);
        Assert.All(calls, c => Assert.False(c.IsCompleted));

        controller.SetFunctions(FakeController.Function("zero", replica));
        foreach (var call in calls)
        {
            using var response = await call.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal("zero-1", (await EchoAsync(response)).Replica);
        }
    }

    [Fact]
    public async Task Invoke_PausedFunction_AsksTheControllerForItsOwnCount_ThenForwardsWhenResumed()
    {
        await using var replica = await FakeReplica.StartAsync("warm-1");
        await using var controller = await FakeController.StartAsync();
        controller.SetFunctions(new Faas.Contracts.Endpoints.FunctionEndpoints { Name = "warm", Namespace = "openfaas-fn", Replicas = 2, Paused = true });
        await using var gateway = await GatewayHost.StartAsync(controller.Url, new Dictionary<string, string?> { ["ready_wait_timeout"] = "10s" });
        await gateway.WaitForReadyAsync("warm", 0);

        var calls = Enumerable.Range(0, 3).Select(_ => gateway.Client.GetAsync("/function/warm")).ToArray();
        await WaitUntilAsync(() => controller.Calls.Any(c => c.Method == "POST"));
        await Task.Delay(100);

        // One ask, for the 2 replicas it has: a resume, not a scale-down to 1.
        var scale = Assert.Single(controller.Calls, c => c.Method == "POST");
        Assert.Equal("/system/scale-function/warm?namespace=openfaas-fn", scale.PathAndQuery);
        Assert.Equal("{\"serviceName\":\"warm\",\"replicas\":2,\"namespace\":\"openfaas-fn\"}", scale.Body);
        Assert.All(calls, c => Assert.False(c.IsCompleted));

        controller.SetFunctions(FakeController.Function("warm", replica));
        foreach (var call in calls)
        {
            using var response = await call.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal("warm-1", (await EchoAsync(response)).Replica);
        }
    }

    [Fact]
    public async Task Invoke_KnownFunctionWithoutReadyReplica_Returns504WithRetryAfter_AfterReadyWaitTimeout()
    {
        await using var controller = await FakeController.StartAsync();
        controller.SetFunctions(FakeController.Function("never", "openfaas-fn"));
        await using var gateway = await GatewayHost.StartAsync(controller.Url, new Dictionary<string, string?> { ["ready_wait_timeout"] = "300ms" });
        await gateway.WaitForReadyAsync("never", 0);

        var clock = Stopwatch.StartNew();
        using var response = await gateway.Client.GetAsync("/function/never");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(250), $"answered after {clock.Elapsed}");
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Contains("no ready replica after 300ms", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Invoke_HeldQueueFull_Answers503WithRetryAfterAtOnce_AndTheHeldCallsStillGoOut()
    {
        await using var replica = await FakeReplica.StartAsync("full-1");
        await using var controller = await FakeController.StartAsync();
        controller.SetFunctions(FakeController.Function("full", "openfaas-fn"));
        await using var gateway = await GatewayHost.StartAsync(controller.Url, new Dictionary<string, string?>
        {
            ["ready_wait_timeout"] = "20s",
            ["max_held_requests_per_function"] = "2",
        });
        await gateway.WaitForReadyAsync("full", 0);
        var held = gateway.App.Services.GetRequiredService<Faas.Gateway.Invoke.HeldRequests>();
        var key = new Faas.Gateway.Endpoints.FunctionKey("full", "openfaas-fn");

        var calls = Enumerable.Range(0, 2).Select(_ => gateway.Client.GetAsync("/function/full")).ToArray();
        await WaitUntilAsync(() => held.Count(key) == 2);

        var clock = Stopwatch.StartNew();
        using (var rejected = await gateway.Client.GetAsync("/function/full"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, rejected.StatusCode);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"answered after {clock.Elapsed}");
            Assert.NotNull(rejected.Headers.RetryAfter);
            Assert.Equal("gateway", Assert.Single(rejected.Headers.GetValues("X-OpenFaaS-Internal")));
            Assert.Contains("already has 2 calls waiting for a ready replica (max_held_requests_per_function)", await rejected.Content.ReadAsStringAsync());
        }

        Assert.All(calls, c => Assert.False(c.IsCompleted));
        controller.SetFunctions(FakeController.Function("full", replica));
        foreach (var call in calls)
        {
            using var response = await call.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal("full-1", (await EchoAsync(response)).Replica);
        }

        Assert.Equal(0, held.Count(key));
    }

    [Fact]
    public async Task Invoke_FunctionScaledToZero_AsksTheControllerOnce_ForEveryCallHeldMeanwhile()
    {
        await using var replica = await FakeReplica.StartAsync("once-1");
        await using var controller = await FakeController.StartAsync();
        controller.SetFunctions(FakeController.ScaledToZero("once"));
        await using var gateway = await GatewayHost.StartAsync(controller.Url, new Dictionary<string, string?> { ["ready_wait_timeout"] = "20s" });
        await gateway.WaitForReadyAsync("once", 0);

        // Calls keep arriving for longer than the old 2 s poke cooldown: still a single ask.
        var calls = new List<Task<HttpResponseMessage>>();
        for (var wave = 0; wave < 3; wave++)
        {
            calls.AddRange(Enumerable.Range(0, 5).Select(_ => gateway.Client.GetAsync("/function/once")));
            await Task.Delay(TimeSpan.FromSeconds(1.2));
        }

        Assert.Single(controller.Calls, c => c.Method == "POST");
        Assert.All(calls, c => Assert.False(c.IsCompleted));

        controller.SetFunctions(FakeController.Function("once", replica));
        foreach (var call in calls)
        {
            using var response = await call.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal("once-1", (await EchoAsync(response)).Replica);
        }

        // Back at zero later: a new call asks again.
        controller.SetFunctions(FakeController.ScaledToZero("once"));
        await gateway.WaitForReadyAsync("once", 0);
        var again = gateway.Client.GetAsync("/function/once");
        await WaitUntilAsync(() => controller.Calls.Count(c => c.Method == "POST") == 2);
        controller.SetFunctions(FakeController.Function("once", replica));
        using (var response = await again.WaitAsync(TimeSpan.FromSeconds(10)))
        {
            Assert.Equal("once-1", (await EchoAsync(response)).Replica);
        }
    }

    [Fact]
    public async Task Invoke_ReplicaDown_Returns502WithReason()
    {
        await using var controller = await FakeController.StartAsync();
        controller.SetFunctions(FakeController.Function("down", "openfaas-fn", ("down-1", LocalServer.ClosedPortUrl())));
        await using var gateway = await GatewayHost.StartAsync(controller.Url);
        await gateway.WaitForReadyAsync("down");

        using var response = await gateway.Client.GetAsync("/function/down");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("replica of 'down' failed: connection refused", await response.Content.ReadAsStringAsync());
        Assert.Equal("gateway", Assert.Single(response.Headers.GetValues("X-OpenFaaS-Internal")));
        Assert.True(response.Headers.Contains("X-Call-Id"));
    }

    [Fact]
    public async Task Invoke_ReplicaSlowerThanUpstreamTimeout_Returns504()
    {
        await using var replica = await FakeReplica.StartAsync("slow-1");
        await using var controller = await FakeController.StartAsync();
        controller.SetFunctions(FakeController.Function("slow", replica));
        await using var gateway = await GatewayHost.StartAsync(controller.Url, new Dictionary<string, string?> { ["upstream_timeout"] = "500ms" });
        await gateway.WaitForReadyAsync("slow");

        var clock = Stopwatch.StartNew();
        using var response = await gateway.Client.GetAsync("/function/slow/slow");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("function 'slow' did not answer within 500ms", await response.Content.ReadAsStringAsync());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"answered after {clock.Elapsed}");
    }

    [Fact]
    public async Task Invoke_DeclaredBodyOverLimit_Returns413WithoutCallingTheReplica()
    {
        await using var replica = await FakeReplica.StartAsync("big-1");
        await using var controller = await FakeController.StartAsync();
        controller.SetFunctions(FakeController.Function("big", replica));
        await using var gateway = await GatewayHost.StartAsync(controller.Url, new Dictionary<string, string?> { ["max_request_body"] = "1024" });
        await gateway.WaitForReadyAsync("big");

        using var response = await gateway.Client.PostAsync("/function/big", new ByteArrayContent(new byte[2048]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("limit of 1024 bytes", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, replica.Calls);
    }

    [Fact]
    public async Task Invoke_StreamedBodyOverLimit_Returns413()
    {
        await using var replica = await FakeReplica.StartAsync("big-1");
        await using var controller = await FakeController.StartAsync();
        controller.SetFunctions(FakeController.Function("big", replica));
        await using var gateway = await GatewayHost.StartAsync(controller.Url, new Dictionary<string, string?> { ["max_request_body"] = "1024" });
        await gateway.WaitForReadyAsync("big");

        // No Content-Length: the limit is enforced while the body streams.
        var content = new StreamContent(new MemoryStream(new byte[4096]));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/function/big") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("limit of 1024 bytes", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Invoke_DoesNotRequireBasicAuth()
    {
        using var secrets = new SecretFolder("admin", "s3cret");
        await using var replica = await FakeReplica.StartAsync("echo-1");
        await using var controller = await FakeController.StartAsync();
        controller.SetFunctions(FakeController.Function("echo", replica));
        await using var gateway = await GatewayHost.StartAsync(controller.Url, secrets.Settings);
        await gateway.WaitForReadyAsync("echo");

        using var response = await gateway.Client.GetAsync("/function/echo");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10s");
            await Task.Delay(20);
        }
    }
}

using System.Diagnostics;
using System.Net;
using Faas.Function;
using Faas.Watchdog.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Faas.Watchdog.Tests.Serving;

/// <summary>Errors, timeouts and limits around a handler call.</summary>
public class FunctionEndpointTests
{
    [Fact]
    public async Task FunctionException_AnswersItsStatusAndMessage()
    {
        await using var watchdog = await TestWatchdog.StartAsync(new FailingHandler(new FunctionException(422, "quantity must be positive")));

        using var response = await watchdog.Client.PostAsync("/", new StringContent("x"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("quantity must be positive", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HandlerThrows_Answers500WithoutStackTrace_AndLogsTheStackTrace()
    {
        await using var watchdog = await TestWatchdog.StartAsync(new FailingHandler(new InvalidOperationException("secret connection string")), ("function_name", "echo"));

        using var response = await watchdog.Client.PostAsync("/", new StringContent("x"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal("function 'echo' failed: handler threw InvalidOperationException; see the function's logs", body);
        Assert.DoesNotContain("secret", body);
        Assert.DoesNotContain(" at ", body);
        var logged = Assert.Single(watchdog.Logs.Entries, e => e.Level == LogLevel.Error);
        Assert.IsType<InvalidOperationException>(logged.Exception);
        Assert.Equal(200, logged.EventId.Id);
    }

    [Fact]
    public async Task ExecTimeout_CancelsHandlerAndAnswers504()
    {
        var handler = new GatedHandler(new Gate());
        await using var watchdog = await TestWatchdog.StartAsync(handler, ("exec_timeout", "300ms"), ("function_name", "slow"));

        using var response = await watchdog.Client.PostAsync("/", new StringContent("x"));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("function 'slow' exceeded exec_timeout of 300ms", await response.Content.ReadAsStringAsync());
        Assert.Equal("of-watchdog", Assert.Single(response.Headers.GetValues("X-OpenFaaS-Internal")));
        await handler.Cancelled.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ExecTimeout_AnswersOnTimeEvenWhenTheHandlerIgnoresItsToken()
    {
        var gate = new Gate();
        await using var watchdog = await TestWatchdog.StartAsync(new GatedHandler(gate, cooperative: false), ("exec_timeout", "300ms"));

        var clock = Stopwatch.StartNew();
        using var response = await watchdog.Client.PostAsync("/", new StringContent("x"));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"answered after {clock.Elapsed}");
        gate.Release();
    }

    [Fact]
    public async Task XTimeout_ShortensExecTimeout()
    {
        var handler = new GatedHandler(new Gate());
        await using var watchdog = await TestWatchdog.StartAsync(handler, ("exec_timeout", "1m"), ("function_name", "slow"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent("x") };
        request.Headers.Add("X-Timeout", "200ms");

        var clock = Stopwatch.StartNew();
        using var response = await watchdog.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"answered after {clock.Elapsed}");
        Assert.Equal("function 'slow' exceeded the X-Timeout of 200ms", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task XTimeout_CannotLengthenExecTimeout()
    {
        await using var watchdog = await TestWatchdog.StartAsync(new GatedHandler(new Gate()), ("exec_timeout", "200ms"), ("function_name", "slow"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent("x") };
        request.Headers.Add("X-Timeout", "1h");

        using var response = await watchdog.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("function 'slow' exceeded exec_timeout of 200ms", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ClientDisconnect_CancelsTheHandlersToken()
    {
        var gate = new Gate();
        var handler = new GatedHandler(gate);
        await using var watchdog = await TestWatchdog.StartAsync(handler, ("exec_timeout", "0"));
        using var abandon = new CancellationTokenSource();

        var call = watchdog.Client.PostAsync("/", new StringContent("x"), abandon.Token);
        await gate.Entered.WaitAsync(TimeSpan.FromSeconds(5));
        await abandon.CancelAsync();

        await handler.Cancelled.WaitAsync(TimeSpan.FromSeconds(5));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.DoesNotContain(watchdog.Logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task BodyOverLimit_WithContentLength_Answers413NamingTheLimit()
    {
        var handler = new PricingHandler();
        await using var watchdog = await TestWatchdog.StartAsync(handler, ("max_request_body", "1Ki"));

        using var response = await watchdog.Client.PostAsync("/", new ByteArrayContent(new byte[2048]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request body of 2048 bytes exceeds max_request_body of 1024 bytes", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, handler.Calls);
    }

    [Fact]
    public async Task BodyOverLimit_WhileStreaming_Answers413NamingTheLimit()
    {
        await using var watchdog = await TestWatchdog.StartAsync(new EchoStringHandler(), ("max_request_body", "1Ki"));

        // No Content-Length: the limit can only be enforced while the body is read.
        using var content = new StreamContent(new UnknownLengthStream(new byte[4096]));
        using var response = await watchdog.Client.PostAsync("/", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request body exceeds max_request_body of 1024 bytes", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task BodyWithinLimit_IsServed()
    {
        await using var watchdog = await TestWatchdog.StartAsync(new EchoStringHandler(), ("max_request_body", "1Ki"));

        using var content = new StreamContent(new UnknownLengthStream("abc"u8.ToArray()));
        using var response = await watchdog.Client.PostAsync("/", content);

        Assert.Equal("echo:abc", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ready_ReportsTheCallsInFlight_InXInflight()
    {
        var gate = new Gate();
        await using var watchdog = await TestWatchdog.StartAsync(new GatedHandler(gate), ("exec_timeout", "0"));

        using var idle = await watchdog.Client.GetAsync("/_/ready");
        var call = watchdog.Client.PostAsync("/", new StringContent("x"));
        await gate.Entered.WaitAsync(TimeSpan.FromSeconds(5));
        using var busy = await watchdog.Client.GetAsync("/_/ready");
        gate.Release();
        using var response = await call;
        using var after = await watchdog.Client.GetAsync("/_/ready");

        Assert.Equal("0", Assert.Single(idle.Headers.GetValues("X-Inflight")));
        Assert.Equal("1", Assert.Single(busy.Headers.GetValues("X-Inflight")));
        Assert.Equal("0", Assert.Single(after.Headers.GetValues("X-Inflight")));
        Assert.Equal(HttpStatusCode.OK, busy.StatusCode);
    }

    [Fact]
    public async Task MaxInflight_ExcessCallsAnswer429_AndReadyReports429()
    {
        var gate = new Gate();
        await using var watchdog = await TestWatchdog.StartAsync(new GatedHandler(gate), ("max_inflight", "1"), ("exec_timeout", "0"));

        var first = watchdog.Client.PostAsync("/", new StringContent("x"));
        await gate.Entered.WaitAsync(TimeSpan.FromSeconds(5));
        using var second = await watchdog.Client.PostAsync("/", new StringContent("y"));
        using var ready = await watchdog.Client.GetAsync("/_/ready");

        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal("text/plain", second.Content.Headers.ContentType?.ToString());
        Assert.Equal("faas-middleware", Assert.Single(second.Headers.GetValues("X-OpenFaaS-Internal")));
        Assert.Equal("Concurrent request limit exceeded. Max concurrent requests: 1", await second.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.TooManyRequests, ready.StatusCode);
        Assert.Equal(1, gate.Entries);

        gate.Release();
        using var firstResponse = await first;
        using var third = await watchdog.Client.PostAsync("/", new StringContent("z"));
        Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    [Fact]
    public async Task HttpHandler_ImpossibleStatus_Answers500()
    {
        await using var watchdog = await TestWatchdog.StartAsync(new StatusHandler(42), ("function_name", "odd"));

        using var response = await watchdog.Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("function 'odd' failed: handler returned status 42; expected 100-599; see the function's logs", await response.Content.ReadAsStringAsync());
    }

    public sealed class StatusHandler(int status) : IHttpFunction
    {
        public Task<FunctionResponse> HandleAsync(FunctionRequest request, FunctionContext context, CancellationToken cancellationToken) =>
            Task.FromResult(FunctionResponse.Status(status));
    }

    /// <summary>A readable stream that does not say how long it is, so HttpClient sends it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}

using System.Diagnostics;
using System.Net;
using System.Text;

namespace Faas.Watchdog.Tests.Modes;

/// <summary><c>mode=streaming</c> with real processes: one <c>fprocess</c> per call.</summary>
public class StreamingModeTests
{
    [Fact]
    public async Task Cat_EchoesTheBody_WithTheRequestsContentType()
    {
        await using var watchdog = await ModeTestSupport.StartAsync(true, ("mode", "streaming"), ("fprocess", "cat"));

        using var response = await watchdog.Client.PostAsync("/", new StringContent("hello", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello", await response.Content.ReadAsStringAsync());
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.True(response.Headers.Contains("X-Duration-Seconds"));
    }

    [Fact]
    public async Task ContentTypeKey_WinsOverTheRequests()
    {
        await using var watchdog = await ModeTestSupport.StartAsync(true, ("mode", "streaming"), ("fprocess", "cat"), ("content_type", "text/csv"));

        using var response = await watchdog.Client.PostAsync("/", new StringContent("a,b", Encoding.UTF8, "application/json"));

        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task LargeBody_StreamsThroughTheProcess()
    {
        await using var watchdog = await ModeTestSupport.StartAsync(true, ("mode", "streaming"), ("fprocess", "cat"), ("max_request_body", "8Mi"));
        var body = new byte[4 * 1024 * 1024];
        new Random(7).NextBytes(body);

        using var response = await watchdog.Client.PostAsync("/", new ByteArrayContent(body));

        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Process_SeesCgiVariablesAndTheFunctionsEnvironment()
    {
        Environment.SetEnvironmentVariable("FAAS_STREAMING_TEST_VAR", "from-env");
        await using var watchdog = await ModeTestSupport.StartAsync(true, ("mode", "streaming"),
            ("fprocess", "echo \"$Http_Method|$Http_Path|$Http_Query|$Http_Content_Type|$Http_X_Custom_Header|$FAAS_STREAMING_TEST_VAR\""));
        using var request = new HttpRequestMessage(HttpMethod.Put, "/some/path?a=1&b=2") { Content = new StringContent("x", Encoding.UTF8, "text/plain") };
        request.Headers.Add("x-custom-header", "v1");

        using var response = await watchdog.Client.SendAsync(request);

        Assert.Equal("PUT|/some/path|a=1&b=2|text/plain; charset=utf-8|v1|from-env\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task NonZeroExitBeforeOutput_Is500WithTheStderrTail()
    {
        await using var watchdog = await ModeTestSupport.StartAsync(true, ("mode", "streaming"), ("fprocess", "echo first >&2; echo 'it broke' >&2; exit 3"));

        using var response = await watchdog.Client.PostAsync("/", new StringContent("x"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("exited with code 3", body);
        Assert.Contains("it broke", body);
    }

    [Fact]
    public async Task ExecTimeout_KillsTheProcess_504()
    {
        var marker = Path.Combine(Path.GetTempPath(), $"faas-streaming-{Guid.NewGuid():N}");
        await using var watchdog = await ModeTestSupport.StartAsync(true, ("mode", "streaming"), ("exec_timeout", "500ms"),
            ("fprocess", $"sleep 3; touch {marker}"));
        var clock = Stopwatch.StartNew();

        using var response = await watchdog.Client.PostAsync("/", new StringContent("x"));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2.5), $"took {clock.Elapsed}");
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        Assert.False(File.Exists(marker), "the timed-out process was not killed");
    }

    [Fact]
    public async Task EmptyOutputAndExitZero_Is200()
    {
        await using var watchdog = await ModeTestSupport.StartAsync(true, ("mode", "streaming"), ("fprocess", "true"));

        using var response = await watchdog.Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
    }
}

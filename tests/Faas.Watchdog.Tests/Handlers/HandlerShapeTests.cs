using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Faas.Watchdog.Tests.Support;

namespace Faas.Watchdog.Tests.Handlers;

/// <summary>Each SDK handler shape served over a real socket.</summary>
public class HandlerShapeTests
{
    [Fact]
    public async Task StringHandler_GetsTheBodyAsText_AndAnswers200TextPlainWithDuration()
    {
        await using var watchdog = await TestWatchdog.StartAsync(new EchoStringHandler());

        using var response = await watchdog.Client.PostAsync("/", new StringContent("héllo", Encoding.UTF8));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("echo:héllo", await response.Content.ReadAsStringAsync());
        Assert.Matches(@"^\d+\.\d{6}$", Assert.Single(response.Headers.GetValues("X-Duration-Seconds")));
    }

    [Fact]
    public async Task StringHandler_ServesAnyPathAndMethod()
    {
        await using var watchdog = await TestWatchdog.StartAsync(new EchoStringHandler());

        using var get = await watchdog.Client.GetAsync("/some/path?x=1");
        using var delete = await watchdog.Client.DeleteAsync("/_/other");

        Assert.Equal("echo:", await get.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
    }

    [Fact]
    public async Task BytesHandler_GetsRawBytes_AndAnswersOctetStream()
    {
        await using var watchdog = await TestWatchdog.StartAsync(new ReverseBytesHandler());

        using var response = await watchdog.Client.PostAsync("/", new ByteArrayContent([1, 2, 3, 255]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal([255, 3, 2, 1], await response.Content.ReadAsByteArrayAsync());
        Assert.True(response.Headers.Contains("X-Duration-Seconds"));
    }

    [Fact]
    public async Task JsonHandler_ReadsCaseInsensitiveJson_AndAnswersCamelCaseJson()
    {
        await using var watchdog = await TestWatchdog.StartAsync(typeof(PricingHandler));

        using var response = await watchdog.Client.PostAsync("/", Json("""{"ITEM":"tea","quantity":4}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("tea", body.RootElement.GetProperty("item").GetString());
        Assert.Equal(4, body.RootElement.GetProperty("quantity").GetInt32());
        Assert.Equal(10m, body.RootElement.GetProperty("total").GetDecimal());
    }

    [Theory]
    [InlineData("{\"item\":")]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("null")]
    public async Task JsonHandler_BadBody_Answers400BeforeTheHandlerRuns(string body)
    {
        var handler = new PricingHandler();
        await using var watchdog = await TestWatchdog.StartAsync(handler);

        using var response = await watchdog.Client.PostAsync("/", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("JSON for Order", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, handler.Calls);
    }

    [Fact]
    public async Task HttpHandler_SeesMethodPathQueryHeadersAndBody_AndChoosesTheResponse()
    {
        await using var watchdog = await TestWatchdog.StartAsync(new InspectingHttpHandler(), ("function_namespace", "team-a"));
        using var request = new HttpRequestMessage(HttpMethod.Patch, "/orders/42?tag=a&tag=b&q=x")
        {
            Content = new StringContent("payload"),
        };
        request.Headers.Add("X-Custom", ["one", "two"]);
        request.Headers.Add("X-Call-Id", "call-123");

        using var response = await watchdog.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/x-test", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("payload", await response.Content.ReadAsStringAsync());
        Assert.Equal("PATCH", Header(response, "X-Seen-Method"));
        Assert.Equal("/orders/42", Header(response, "X-Seen-Path"));
        Assert.Equal("?tag=a&tag=b&q=x", Header(response, "X-Seen-QueryString"));
        Assert.Equal("q=x&tag=a,b", Header(response, "X-Seen-Query"));
        Assert.Equal("one, two", Header(response, "X-Seen-Custom"));
        Assert.Equal("call-123", Header(response, "X-Seen-CallId"));
        Assert.Equal("test-fn.team-a", Header(response, "X-Seen-Function"));
        Assert.True(response.Headers.Contains("X-Duration-Seconds"));
    }

    [Fact]
    public async Task HttpHandler_RootPathIsSlash_AndACallIdIsMadeWhenNoneWasSent()
    {
        await using var watchdog = await TestWatchdog.StartAsync(new InspectingHttpHandler());

        using var response = await watchdog.Client.GetAsync("");

        Assert.Equal("/", Header(response, "X-Seen-Path"));
        Assert.Equal("", Header(response, "X-Seen-QueryString"));
        Assert.True(Guid.TryParse(Header(response, "X-Seen-CallId"), out _));
    }

    [Fact]
    public async Task HttpHandler_BodyStream_IsCopiedAndDisposed()
    {
        var handler = new StreamingHttpHandler();
        await using var watchdog = await TestWatchdog.StartAsync(handler);

        using var response = await watchdog.Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("streamed body", await response.Content.ReadAsStringAsync());
        Assert.True(handler.Stream!.Disposed);
    }

    private static StringContent Json(string body) => new(body, new MediaTypeHeaderValue("application/json"));

    private static string Header(HttpResponseMessage response, string name) =>
        Assert.Single(response.Headers.TryGetValues(name, out var values) ? values : response.Content.Headers.GetValues(name));
}

using System.Net;
using System.Text.Json;
using Faas.Docker.Tests.Infrastructure;

namespace Faas.Docker.Tests.Transport;

/// <summary>Negotiation, paths, query encoding and error mapping against a canned daemon (no dockerd).</summary>
public sealed class DockerTransportTests
{
    [Theory]
    [InlineData("1.30", "/v1.30/")]
    [InlineData("1.41", "/v1.41/")]
    [InlineData("1.45", "/v1.41/")]
    public async Task Requests_UseMinimumOfOurAndDaemonsApiVersion(string daemonVersion, string expectedPrefix)
    {
        await using var daemon = new FakeDaemon(FakeDaemon.WithPing(daemonVersion, (_, _) => new FakeResponse(200, "[]")));
        using var client = daemon.CreateClient();

        await client.Containers.ListContainersAsync(new ContainerListParameters());
        await client.Networks.ListNetworksAsync();

        Assert.Equal(["GET /_ping", $"GET {expectedPrefix}containers/json?all=1", $"GET {expectedPrefix}networks"], daemon.Requests);
        Assert.Equal(Version.Parse(expectedPrefix.Trim('/', 'v')), client.ApiVersion);
    }

    [Fact]
    public async Task Negotiation_RespectsConfiguredMaximum()
    {
        await using var daemon = new FakeDaemon(FakeDaemon.WithPing("1.41", (_, _) => new FakeResponse(200, "[]")));
        using var client = daemon.CreateClient(new Version(1, 40));

        Assert.Equal(new Version(1, 40), await client.NegotiateApiVersionAsync());
        await client.Containers.ListContainersAsync(new ContainerListParameters { All = false });

        Assert.Equal("GET /v1.40/containers/json", daemon.Requests.Last());
    }

    [Fact]
    public async Task Negotiation_WithoutPingHeader_FallsBackToVersion()
    {
        await using var daemon = new FakeDaemon((_, target) => target switch
        {
            "/_ping" => new FakeResponse(200, "OK", "text/plain"),
            "/version" => new FakeResponse(200, """{"Version":"19.03.1","ApiVersion":"1.40"}"""),
            _ => new FakeResponse(200, "[]"),
        });
        using var client = daemon.CreateClient();

        await client.Networks.ListNetworksAsync();

        Assert.Equal(["GET /_ping", "GET /version", "GET /v1.40/networks"], daemon.Requests);
    }

    [Fact]
    public async Task ListContainers_EncodesLabelFiltersAsJson()
    {
        await using var daemon = new FakeDaemon(FakeDaemon.WithPing("1.41", (_, _) => new FakeResponse(200, "[]")));
        using var client = daemon.CreateClient();

        await client.Containers.ListContainersAsync(new ContainerListParameters
        {
            Labels = ["faas.function=echo", "faas.namespace"],
            Filters = new Dictionary<string, IList<string>> { ["status"] = ["running"] },
        });

        var target = daemon.Requests.Last();
        var filters = Uri.UnescapeDataString(target[(target.IndexOf("filters=", StringComparison.Ordinal) + "filters=".Length)..]);
        using var json = JsonDocument.Parse(filters);
        Assert.Equal(["faas.function=echo", "faas.namespace"], json.RootElement.GetProperty("label").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["running"], json.RootElement.GetProperty("status").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData(400, typeof(DockerBadRequestException))]
    [InlineData(404, typeof(DockerNotFoundException))]
    [InlineData(409, typeof(DockerConflictException))]
    [InlineData(500, typeof(DockerServerException))]
    [InlineData(503, typeof(DockerServerException))]
    [InlineData(403, typeof(DockerApiException))]
    public async Task ErrorStatus_MapsToLeafWithDaemonMessage(int status, Type expected)
    {
        await using var daemon = new FakeDaemon(FakeDaemon.WithPing("1.41", (_, _) => new FakeResponse(status, """{"message":"the daemon says no"}""")));
        using var client = daemon.CreateClient();

        var error = await Assert.ThrowsAnyAsync<DockerException>(() => client.Containers.InspectContainerAsync("c1"));

        Assert.IsType(expected, error);
        Assert.Equal((HttpStatusCode)status, error.StatusCode);
        Assert.Equal("the daemon says no", error.DaemonMessage);
        Assert.Contains("Inspect container: the daemon says no", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorWithPlainTextBody_KeepsTheText()
    {
        await using var daemon = new FakeDaemon(FakeDaemon.WithPing("1.41", (_, _) => new FakeResponse(500, "page not found\n", "text/plain")));
        using var client = daemon.CreateClient();

        var error = await Assert.ThrowsAsync<DockerServerException>(() => client.Networks.InspectNetworkAsync("n1"));

        Assert.Equal("page not found", error.DaemonMessage);
    }

    [Fact]
    public async Task StartAndStop_NotModified_ReturnFalse()
    {
        await using var daemon = new FakeDaemon(FakeDaemon.WithPing("1.41", (_, target) =>
            new FakeResponse(target.Contains("/start", StringComparison.Ordinal) || target.Contains("/stop", StringComparison.Ordinal) ? 304 : 204, "")));
        using var client = daemon.CreateClient();

        Assert.False(await client.Containers.StartContainerAsync("c1"));
        Assert.False(await client.Containers.StopContainerAsync("c1", TimeSpan.FromSeconds(2)));
        Assert.Equal("POST /v1.41/containers/c1/stop?t=2", daemon.Requests.Last());
    }

    [Fact]
    public async Task ImageNamesWithSlashesAndTags_KeepTheirSegments()
    {
        await using var daemon = new FakeDaemon(FakeDaemon.WithPing("1.41", (_, _) => new FakeResponse(200, """{"Id":"sha256:abc"}""")));
        using var client = daemon.CreateClient();

        var image = await client.Images.InspectImageAsync("registry:5000/org/fn echo:1.0");

        Assert.Equal("sha256:abc", image.Id);
        Assert.Equal("GET /v1.41/images/registry%3A5000/org/fn%20echo%3A1.0/json", daemon.Requests.Last());
    }

    [Fact]
    public async Task UnreadableAnswer_ThrowsServerExceptionNotJsonException()
    {
        await using var daemon = new FakeDaemon(FakeDaemon.WithPing("1.41", (_, _) => new FakeResponse(200, "{not json")));
        using var client = daemon.CreateClient();

        var error = await Assert.ThrowsAsync<DockerServerException>(() => client.Containers.InspectContainerAsync("c1"));

        Assert.Contains("could not be read", error.Message, StringComparison.Ordinal);
        Assert.IsType<JsonException>(error.InnerException, exactMatch: false);
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using Faas.Contracts.Json;
using Faas.Contracts.Logs;
using Faas.Controller.Tests.Fakes;

namespace Faas.Controller.Tests.Logs;

public sealed class LogsApiTests : IAsyncLifetime
{
    private ControllerHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await ControllerHost.StartAsync();
        _host.CreateArtifact("talker:latest");
        using var deploy = await _host.Client.PostAsync("/system/functions", new StringContent("""{"service":"talker","image":"talker"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, deploy.StatusCode);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Logs_AreNdjsonLogMessages_AndTheStreamEndsWithoutFollow()
    {
        var replica = _host.Launcher.Launched.Single();
        await File.WriteAllLinesAsync(replica.Spec.LogFile, ["2024-01-01T00:00:01Z first", "2024-01-01T00:00:02Z second", "2024-01-01T00:00:03Z third"]);

        using var response = await _host.Client.GetAsync("/system/logs?name=talker&namespace=openfaas-fn&tail=2&follow=false");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonSerializer.Deserialize(l, FaasJsonContext.Default.LogMessage)!)
            .ToList();
        Assert.Equal(["second", "third"], lines.Select(l => l.Text));
        Assert.All(lines, l => Assert.Equal(("talker", "openfaas-fn", replica.Spec.ReplicaId), (l.Name, l.Namespace, l.Instance)));
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 3, TimeSpan.Zero), lines[1].Timestamp);
    }

    [Fact]
    public async Task Follow_StreamsNewLines_FlushedAsTheyCome()
    {
        var replica = _host.Launcher.Launched.Single();
        await File.WriteAllLinesAsync(replica.Spec.LogFile, ["2024-01-01T00:00:01Z before"]);
        using var response = await _host.Client.GetAsync("/system/logs?name=talker&follow=true", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        Assert.Equal("before", await ReadTextAsync(reader));
        await File.AppendAllLinesAsync(replica.Spec.LogFile, ["2024-01-01T00:00:02Z after"]);
        Assert.Equal("after", await ReadTextAsync(reader));
    }

    [Theory]
    [InlineData("/system/logs", HttpStatusCode.BadRequest, "name is required")]
    [InlineData("/system/logs?name=Bad_Name", HttpStatusCode.BadRequest, "DNS-1123")]
    [InlineData("/system/logs?name=talker&namespace=other", HttpStatusCode.BadRequest, "namespace 'other' does not exist")]
    [InlineData("/system/logs?name=talker&tail=ten", HttpStatusCode.UnprocessableEntity, "tail 'ten'")]
    [InlineData("/system/logs?name=talker&follow=maybe", HttpStatusCode.UnprocessableEntity, "follow 'maybe'")]
    [InlineData("/system/logs?name=talker&since=yesterday", HttpStatusCode.UnprocessableEntity, "since 'yesterday'")]
    [InlineData("/system/logs?name=nobody", HttpStatusCode.NotFound, "nobody")]
    public async Task BadQueries_AreRejectedWithAMessage(string path, HttpStatusCode status, string expected)
    {
        using var response = await _host.Client.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<string> ReadTextAsync(StreamReader reader)
    {
        var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(line);
        return JsonSerializer.Deserialize<LogMessage>(line, FaasJsonContext.Default.LogMessage)!.Text;
    }
}

using System.Text;
using System.Text.Json;
using Faas.Contracts.Endpoints;
using Faas.Contracts.Json;
using Faas.Controller.Tests.Fakes;

namespace Faas.Controller.Tests.Endpoints;

public sealed class EndpointStreamApiTests
{
    [Fact]
    public async Task Stream_SendsASnapshotOnConnect_OnChange_AndAsHeartbeat()
    {
        await using var host = await ControllerHost.StartAsync(heartbeat: TimeSpan.FromMilliseconds(300));
        host.CreateArtifact("streamed:latest");
        using var response = await host.Client.GetAsync(EndpointStream.Path, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(EndpointStream.ContentType, response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        var first = await ReadSnapshotAsync(reader);
        Assert.Empty(first.Functions);

        using var deploy = await host.Client.PostAsync("/system/functions", new StringContent("""{"service":"streamed","image":"streamed"}""", Encoding.UTF8, "application/json"));
        EndpointSnapshot snapshot;
        do
        {
            snapshot = await ReadSnapshotAsync(reader);
        }
        while (snapshot.Functions.FirstOrDefault()?.Endpoints.Count is not 1);

        Assert.True(snapshot.Version > first.Version);
        var function = snapshot.Functions.Single();
        Assert.Equal(("streamed", "openfaas-fn", 1), (function.Name, function.Namespace, function.Replicas));
        Assert.StartsWith("http://127.0.0.1:", function.Endpoints[0].Url, StringComparison.Ordinal);

        // Nothing changes: the same snapshot comes again as a heartbeat.
        var heartbeat = await ReadSnapshotAsync(reader);
        Assert.Equal(snapshot.Version, heartbeat.Version);
    }

    private static async Task<EndpointSnapshot> ReadSnapshotAsync(StreamReader reader)
    {
        var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(line);
        return JsonSerializer.Deserialize(line, FaasJsonContext.Default.EndpointSnapshot)!;
    }
}

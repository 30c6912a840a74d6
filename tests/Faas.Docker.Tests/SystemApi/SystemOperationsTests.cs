using Faas.Docker.Tests.Infrastructure;

namespace Faas.Docker.Tests.SystemApi;

[Collection(DockerCollection.Name)]
public sealed class SystemOperationsTests(DockerDaemonFixture fixture)
{
    [Fact]
    public async Task Ping_ReportsDaemonApiVersion()
    {
        using var deadline = Deadline.Seconds(10);

        var ping = await fixture.Client.System.PingAsync(deadline.Token);

        Assert.True(Version.TryParse(ping.ApiVersion, out var version), $"API-Version header was '{ping.ApiVersion}'");
        Assert.True(version >= DockerClientOptions.MinimumApiVersion);
        Assert.Equal("linux", ping.OsType);
    }

    [Fact]
    public async Task Negotiation_PicksMinimumOfOursAndDaemons()
    {
        using var deadline = Deadline.Seconds(10);
        var daemon = Version.Parse((await fixture.Client.System.PingAsync(deadline.Token)).ApiVersion!);
        using var capped = new DockerClient(fixture.Client.Options with { MaxApiVersion = new Version(1, 30) });

        var version = await fixture.Client.System.GetVersionAsync(deadline.Token);
        var cappedVersion = await capped.System.GetVersionAsync(deadline.Token);

        Assert.Equal(daemon < new Version(1, 41) ? daemon : new Version(1, 41), fixture.Client.ApiVersion);
        Assert.Equal(new Version(1, 30), capped.ApiVersion);
        Assert.Equal(daemon.ToString(), version.ApiVersion);
        Assert.False(string.IsNullOrEmpty(version.Version));
        Assert.Equal("linux", version.Os);
        Assert.Equal(version.Version, cappedVersion.Version);
    }
}

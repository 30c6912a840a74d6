using Faas.EndToEnd.Tests.Infrastructure;

namespace Faas.EndToEnd.Tests.DockerBackend;

/// <summary>
/// A whole platform (backend=docker on the collection's private dockerd, logged-in faas-cli) per test
/// class instance; disposing it also removes the network and containers it left on the daemon.
/// </summary>
public abstract class DockerPlatformTest(DockerEngineFixture engine, string name) : IAsyncLifetime
{
    protected Platform Platform { get; private set; } = null!;

    protected DockerEngineFixture Engine => engine;

    public async Task InitializeAsync()
    {
        Platform = await Platform.StartAsync(name, docker: engine.NewSettings());
        await Platform.LoginAsync();
    }

    public async Task DisposeAsync()
    {
        var network = Platform.Docker!.Network;
        await Platform.DisposeAsync();
        await engine.CleanUpAsync(network);
    }
}

using Faas.Controller.Backends.Process;
using Faas.Controller.Endpoints;

namespace Faas.Controller.Tests.Fakes;

/// <summary>The real controller app on Kestrel (127.0.0.1, free port) with the fake launcher and probe.</summary>
internal sealed class ControllerHost : IAsyncDisposable
{
    private ControllerHost(WebApplication app, TempDir dir, FakeReplicaLauncher launcher)
    {
        App = app;
        Dir = dir;
        Launcher = launcher;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public TempDir Dir { get; }

    public FakeReplicaLauncher Launcher { get; }

    public HttpClient Client { get; }

    public string StateDir => Dir.Combine("state");

    public string ArtifactStore => Dir.Combine("artifacts");

    public static async Task<ControllerHost> StartAsync(
        string[]? extraArgs = null,
        TimeSpan? heartbeat = null,
        Action<TempDir>? prepare = null,
        Func<string[], TempDir, string[]>? argsFixup = null,
        Action<IServiceCollection>? services = null)
    {
        var dir = new TempDir();
        prepare?.Invoke(dir);
        var launcher = new FakeReplicaLauncher();
        string[] args =
        [
            "--port=0",
            "--state_dir=" + dir.Combine("state"),
            "--artifact_store=" + dir.Combine("artifacts"),
            "--replica_drain_timeout=1s",
            "--Logging:LogLevel:Default=Warning",
            .. extraArgs ?? [],
        ];
        args = argsFixup?.Invoke(args, dir) ?? args;
        var app = Program.Build(args, collection =>
        {
            collection.AddSingleton<IReplicaLauncher>(launcher);
            collection.AddSingleton<IReplicaProbe>(new FakeReplicaProbe(launcher));
            collection.AddSingleton(TestSupport.FastTimings);
            collection.AddSingleton(new EndpointStreamOptions { HeartbeatInterval = heartbeat ?? TimeSpan.FromSeconds(5) });
            services?.Invoke(collection);
        });
        await app.StartAsync();
        return new ControllerHost(app, dir, launcher);
    }

    public string CreateArtifact(string image) => TestSupport.CreateArtifact(ArtifactStore, image);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Dir.Dispose();
    }
}

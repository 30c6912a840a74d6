using Faas.Contracts.Functions;
using Faas.Contracts.Naming;
using Faas.Controller.Backends.Process;
using Faas.Controller.Configuration;
using Faas.Controller.Secrets;
using Microsoft.Extensions.Logging.Abstractions;

namespace Faas.Controller.Tests.Fakes;

/// <summary>A process backend with its reconcile loop over a fake launcher, without the web host.</summary>
internal sealed class BackendHarness : IAsyncDisposable
{
    private readonly ProcessReconciler _reconciler;
    private readonly bool _ownsDir;
    private bool _stopped;

    private BackendHarness(TempDir dir, bool ownsDir, FakeReplicaLauncher launcher, ControllerOptions options, ProcessBackendTimings timings)
    {
        Dir = dir;
        _ownsDir = ownsDir;
        Launcher = launcher;
        Options = options;
        Backend = new ProcessBackend(options, timings, launcher, new FakeReplicaProbe(launcher), TimeProvider.System, new FileSecretStore(FileSecretStore.RootFor(options.StateDir)), NullLogger<ProcessBackend>.Instance);
        _reconciler = new ProcessReconciler(Backend);
    }

    public TempDir Dir { get; }

    public FakeReplicaLauncher Launcher { get; }

    public ControllerOptions Options { get; }

    public ProcessBackend Backend { get; }

    public string StateFile => Path.Combine(Options.StateDir, "functions.json");

    /// <summary>Starts a harness; pass the <paramref name="launcher"/> and <paramref name="dir"/> of a previous one to simulate a restart.</summary>
    public static async Task<BackendHarness> StartAsync(FakeReplicaLauncher? launcher = null, TempDir? dir = null, TimeSpan? startupTimeout = null, ProcessBackendTimings? timings = null)
    {
        var ownsDir = dir is null;
        dir ??= new TempDir();
        var options = new ControllerOptions
        {
            StateDir = dir.Combine("state"),
            ArtifactStore = dir.Combine("artifacts"),
            ReplicaStartupTimeout = startupTimeout ?? TimeSpan.FromSeconds(10),
            ReplicaDrainTimeout = TimeSpan.FromSeconds(1),
        };
        var harness = new BackendHarness(dir, ownsDir, launcher ?? new FakeReplicaLauncher(), options, timings ?? TestSupport.FastTimings);
        await harness._reconciler.StartAsync(CancellationToken.None);
        return harness;
    }

    /// <summary>A deployment of <paramref name="name"/> whose image exists in the artifact store.</summary>
    public FunctionDeployment Deployment(string name, string image = "", Dictionary<string, string>? labels = null)
    {
        image = image.Length > 0 ? image : $"{name}:latest";
        TestSupport.CreateArtifact(Options.ArtifactStore, image);
        return new FunctionDeployment { Service = name, Image = image, Namespace = FunctionNames.DefaultNamespace, Labels = labels };
    }

    public List<FakeReplicaProcess> RunningOf(string name) =>
        Launcher.Running.Where(p => p.Spec.FunctionName == name).OrderBy(p => p.Pid).ToList();

    public async Task<FunctionStatus> StatusAsync(string name) =>
        await Backend.GetAsync(name, FunctionNames.DefaultNamespace) ?? throw new InvalidOperationException(name + " not found");

    /// <summary>Graceful controller shutdown.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _reconciler.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Like kill -9 of the controller: the loop ends, replicas are left running.</summary>
    public void Crash()
    {
        _stopped = true;
        _reconciler.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _reconciler.Dispose();
        if (_ownsDir)
        {
            Dir.Dispose();
        }
    }
}

using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Faas.Docker;

namespace Faas.Testing.Docker;

/// <summary>
/// A Docker daemon for the integration tests. Uses the daemon named by DOCKER_HOST when it answers;
/// otherwise starts a private dockerd whose socket, data, exec root and pid file all live in one
/// temp folder, so it never touches a system daemon. Imports a busybox base image once.
/// On dispose: removes everything labelled with this run's id, stops the private daemon by its
/// PID (SIGTERM, then SIGKILL), unmounts what it left under the temp folder and deletes it.
/// </summary>
public sealed partial class DockerDaemonFixture : IAsyncLifetime
{
    /// <summary>Label put on every container and network the tests create, valued with <see cref="RunId"/>.</summary>
    public const string RunLabel = "faas.docker.tests.run";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    private readonly StringBuilder _daemonLog = new();
    private readonly bool _privateOnly;
    private Process? _daemon;
    private ProcessStartInfo? _daemonStart;
    private StreamWriter? _daemonLogFile;
    private string? _root;
    private bool _disposed;

    public DockerDaemonFixture()
    {
    }

    // xunit wants a single public constructor on a fixture type; the private-daemon variant is a factory.
    private DockerDaemonFixture(bool privateDaemon) => _privateOnly = privateDaemon;

    /// <summary>A fixture that always starts its own daemon, even when DOCKER_HOST answers (tests that stop and restart it).</summary>
    public static DockerDaemonFixture CreatePrivate() => new(privateDaemon: true);

    public DockerClient Client { get; private set; } = null!;

    /// <summary>The daemon's address as a <c>DOCKER_HOST</c> value, for tools run against it (docker CLI, scripts).</summary>
    public string DockerHost { get; private set; } = "";

    /// <summary>Random per fixture; part of every name and label so runs against a shared daemon cannot collide.</summary>
    public string RunId { get; } = Guid.NewGuid().ToString("N")[..10];

    /// <summary>True when this fixture started (and will stop) the daemon.</summary>
    public bool OwnsDaemon => _daemon is not null;

    /// <summary>The imported busybox image, e.g. <c>faas-docker-test-busybox:1a2b3c4d5e</c>.</summary>
    public string BaseImage => $"faas-docker-test-busybox:{RunId}";

    public string BaseImageId { get; private set; } = "";

    /// <summary>A folder for bind-mount sources and build contexts; removed on dispose.</summary>
    public string WorkDirectory { get; private set; } = "";

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch
        {
            // Never leave a private daemon running behind a failed start.
            await DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        Client = (_privateOnly ? null : await UseExistingDaemonAsync(timeout.Token)) ?? await StartPrivateDaemonAsync(timeout.Token);
        if (DockerHost.Length == 0)
        {
            DockerHost = Environment.GetEnvironmentVariable("DOCKER_HOST") ?? "";
        }
        if (WorkDirectory.Length == 0)
        {
            WorkDirectory = Directory.CreateTempSubdirectory("faas-docker-tests-").FullName;
        }

        using var rootfs = await BusyboxRootfs.CreateAsync(timeout.Token);
        BaseImageId = await Client.Images.ImportImageAsync(
            rootfs,
            new ImageImportParameters { Repository = "faas-docker-test-busybox", Tag = RunId, Changes = ["CMD [\"sh\"]"] },
            timeout.Token);
    }

    public async Task DisposeAsync()
    {
        // Idempotent: a failed start disposes once here and xunit may dispose again.
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        if (Client is not null)
        {
            await RemoveRunResourcesAsync(timeout.Token);
            Client.Dispose();
        }

        if (_daemon is not null)
        {
            await StopDaemonAsync(_daemon);
            _daemon.Dispose();
        }

        lock (_daemonLog)
        {
            _daemonLogFile?.Dispose();
            _daemonLogFile = null;
        }

        if (_root is not null)
        {
            UnmountUnder(_root);
            DeleteDirectory(_root);
        }

        if (WorkDirectory.Length > 0 && !WorkDirectory.StartsWith(_root ?? "\0", StringComparison.Ordinal))
        {
            DeleteDirectory(WorkDirectory);
        }
    }

    /// <summary>The last lines dockerd wrote, for failure messages.</summary>
    public string DaemonLogTail()
    {
        lock (_daemonLog)
        {
            var text = _daemonLog.ToString();
            return text.Length <= 4000 ? text : text[^4000..];
        }
    }

    private static async Task<DockerClient?> UseExistingDaemonAsync(CancellationToken cancellationToken)
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (string.IsNullOrWhiteSpace(host))
        {
            return null;
        }

        var client = new DockerClient(new DockerClientOptions { Endpoint = DockerEndpoint.Parse(host), RequestTimeout = TimeSpan.FromSeconds(30) });
        try
        {
            using var ping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            ping.CancelAfter(TimeSpan.FromSeconds(5));
            await client.System.PingAsync(ping.Token);
            return client;
        }
        catch (DockerException)
        {
            // DOCKER_HOST is set but nothing answers there: fall back to a private daemon.
            client.Dispose();
            return null;
        }
    }

    private async Task<DockerClient> StartPrivateDaemonAsync(CancellationToken cancellationToken)
    {
        var dockerd = FindExecutable("dockerd") ?? throw new InvalidOperationException(
            "dockerd was not found on PATH, /usr/sbin or /usr/bin. The Docker integration tests need a real daemon: " +
            "run ./test.sh (it installs docker.io and busybox-static) or set DOCKER_HOST to a running daemon.");

        // A short root keeps the unix socket path under the 108-byte limit whatever TMPDIR is.
        var tempBase = Path.GetTempPath().Length <= 40 ? Path.GetTempPath() : "/tmp";
        _root = Path.Combine(tempBase, $"faas-dockerd-{RunId}");
        Directory.CreateDirectory(_root);
        WorkDirectory = Directory.CreateDirectory(Path.Combine(_root, "work")).FullName;
        var socket = Path.Combine(_root, "docker.sock");
        DockerHost = $"unix://{socket}";

        // --bridge=none: no default docker0, so another daemon's docker0 is left alone (tests use their own networks).
        // --iptables=false: host firewall rules stay untouched; the tests reach containers only from other containers.
        // Own containerd namespaces: if a system containerd is running, dockerd would share it.
        // An address pool of its own: two daemons with the same pool give two bridges the same subnet,
        // and the host then reaches only one of them (a replica that never answers its probe).
        var octet = DockerAddressPools.Claim();
        string[] arguments =
        [
            "--host", $"unix://{socket}",
            "--data-root", Path.Combine(_root, "data"),
            "--exec-root", Path.Combine(_root, "exec"),
            "--pidfile", Path.Combine(_root, "docker.pid"),
            "--bridge=none",
            "--iptables=false",
            "--containerd-namespace", $"faas-test-{RunId}",
            "--containerd-plugins-namespace", $"faas-test-{RunId}-plugins",
            "--default-address-pool", $"base=10.{octet}.0.0/16,size=24",
            // Containers whose PID 1 ignores SIGTERM (busybox httpd) must not hold up a stop for 15 s.
            "--shutdown-timeout=2",
        ];

        _daemonStart = new ProcessStartInfo(dockerd)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _root,
        };
        foreach (var argument in arguments)
        {
            _daemonStart.ArgumentList.Add(argument);
        }

        _daemonLogFile = new StreamWriter(Path.Combine(_root, "dockerd.log")) { AutoFlush = true };
        var client = new DockerClient(new DockerClientOptions { Endpoint = DockerEndpoint.Unix(socket), RequestTimeout = TimeSpan.FromSeconds(30) });
        try
        {
            await LaunchAsync(client, cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Stops the private daemon (SIGTERM to its PID; it stops its containers within the short
    /// shutdown timeout), keeping its data so <see cref="StartAgainAsync"/> brings the same state back.
    /// </summary>
    public async Task StopAsync()
    {
        if (_daemon is null)
        {
            throw new InvalidOperationException("only a daemon this fixture started can be stopped (use DockerDaemonFixture.CreatePrivate())");
        }

        await StopDaemonAsync(_daemon);
        _daemon.Dispose();
        _daemon = null;
    }

    /// <summary>Starts the private daemon again after <see cref="StopAsync"/>, on the same socket and data.</summary>
    public async Task StartAgainAsync()
    {
        if (_daemonStart is null || _daemon is not null)
        {
            throw new InvalidOperationException("the private daemon is not stopped");
        }

        using var timeout = new CancellationTokenSource(StartTimeout);
        await LaunchAsync(Client, timeout.Token);
    }

    private async Task LaunchAsync(DockerClient client, CancellationToken cancellationToken)
    {
        _daemon = new Process { StartInfo = _daemonStart! };
        _daemon.OutputDataReceived += (_, e) => AppendLog(e.Data);
        _daemon.ErrorDataReceived += (_, e) => AppendLog(e.Data);
        _daemon.Start();
        _daemon.BeginOutputReadLine();
        _daemon.BeginErrorReadLine();

        var socket = DockerHost["unix://".Length..];
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            if (_daemon.HasExited)
            {
                throw new InvalidOperationException($"dockerd exited with code {_daemon.ExitCode} while starting. Its log:\n{DaemonLogTail()}");
            }

            if (File.Exists(socket))
            {
                try
                {
                    await client.System.PingAsync(cancellationToken);
                    return;
                }
                catch (DockerUnavailableException) when (stopwatch.Elapsed < StartTimeout)
                {
                    // Socket created before the API is served; try again.
                }
            }

            if (cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"dockerd did not answer /_ping within {StartTimeout.TotalSeconds} s. Its log:\n{DaemonLogTail()}");
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }

    private void AppendLog(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_daemonLog)
        {
            _daemonLog.AppendLine(line);
            if (_daemonLog.Length > 64_000)
            {
                _daemonLog.Remove(0, _daemonLog.Length - 32_000);
            }

            _daemonLogFile?.WriteLine(line);
        }
    }

    private async Task RemoveRunResourcesAsync(CancellationToken cancellationToken)
    {
        var label = $"{RunLabel}={RunId}";
        await IgnoreFailures(async () =>
        {
            var containers = await Client.Containers.ListContainersAsync(new ContainerListParameters { Labels = [label] }, cancellationToken);
            foreach (var container in containers)
            {
                await IgnoreFailures(() => Client.Containers.RemoveContainerAsync(container.Id, force: true, removeVolumes: true, cancellationToken));
            }
        });
        await IgnoreFailures(async () =>
        {
            var networks = await Client.Networks.ListNetworksAsync(new NetworkListParameters { Labels = [label] }, cancellationToken);
            foreach (var network in networks)
            {
                await IgnoreFailures(() => Client.Networks.DeleteNetworkAsync(network.Id, cancellationToken));
            }
        });
        await IgnoreFailures(() => Client.Images.DeleteImageAsync(BaseImage, force: true, cancellationToken));
    }

    private async Task StopDaemonAsync(Process daemon)
    {
        if (daemon.HasExited)
        {
            return;
        }

        _ = Kill(daemon.Id, Sigterm);
        using (var wait = new CancellationTokenSource(StopTimeout))
        {
            try
            {
                await daemon.WaitForExitAsync(wait.Token);
                return;
            }
            catch (OperationCanceledException)
            {
                // Fall through to SIGKILL.
            }
        }

        // SIGKILL dockerd and the containerd it manages (its children), nothing else.
        daemon.Kill(entireProcessTree: true);
        using var killWait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await daemon.WaitForExitAsync(killWait.Token);
        }
        catch (OperationCanceledException)
        {
            // Nothing more to do; the temp folder cleanup below copes with leftovers.
        }
    }

    /// <summary>Lazily unmounts every mount point strictly under <paramref name="root"/>, deepest first.</summary>
    private static void UnmountUnder(string root)
    {
        var prefix = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + "/";
        string[] lines;
        try
        {
            lines = File.ReadAllLines("/proc/mounts");
        }
        catch (IOException)
        {
            return;
        }

        var mountPoints = lines
            .Select(line => line.Split(' '))
            .Where(fields => fields.Length > 1)
            .Select(fields => fields[1].Replace("\\040", " ", StringComparison.Ordinal))
            .Where(path => path.StartsWith(prefix, StringComparison.Ordinal))
            .OrderByDescending(path => path.Length);
        foreach (var mountPoint in mountPoints)
        {
            _ = Umount2(mountPoint, MntDetach);
        }
    }

    private static void DeleteDirectory(string path)
    {
        for (var attempt = 0; attempt < 5 && Directory.Exists(path); attempt++)
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Thread.Sleep(200);
            }
        }
    }

    private static string? FindExecutable(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"])
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);
    }

    private static async Task IgnoreFailures(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (ex is DockerException or OperationCanceledException)
        {
            // Best-effort cleanup: a private daemon's data is deleted anyway.
        }
    }

    private const int Sigterm = 15;
    private const int MntDetach = 2;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Umount2(string target, int flags);
}

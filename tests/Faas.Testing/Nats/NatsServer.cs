using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Faas.Testing.Net;

namespace Faas.Testing.Nats;

/// <summary>
/// A real nats-server process with JetStream on a free loopback port and its own store directory.
/// Stopped by PID (SIGTERM, then SIGKILL) and its store deleted on dispose.
/// </summary>
public sealed partial class NatsServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly string[] _extraArgs;
    private readonly bool _ownsStore;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private NatsServer(int port, string storeDir, bool ownsStore, string[] extraArgs)
    {
        Port = port;
        StoreDir = storeDir;
        _ownsStore = ownsStore;
        _extraArgs = extraArgs;
    }

    public int Port { get; }

    public string StoreDir { get; }

    public string Url => $"nats://127.0.0.1:{Port}";

    public int? Pid => _process?.Id;

    /// <summary>Starts a server; <paramref name="extraArgs"/> adds flags such as <c>--user</c>/<c>--pass</c>.</summary>
    public static async Task<NatsServer> StartAsync(params string[] extraArgs)
    {
        var storeDir = Directory.CreateTempSubdirectory("faas-nats-test-").FullName;
        // Another test may grab the free port between probing and binding; try a few.
        for (var attempt = 1; ; attempt++)
        {
            var server = new NatsServer(TestPorts.Next(), storeDir, ownsStore: true, extraArgs);
            try
            {
                await server.StartProcessAsync();
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                await server.StopAsync();
            }
        }
    }

    /// <summary>Stops the process (SIGTERM) and starts a new one on the same port with the same store.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartProcessAsync();
    }

    /// <summary>Starts the process again after <see cref="StopAsync"/>.</summary>
    public Task StartAgainAsync() => StartProcessAsync();

    public async Task StopAsync()
    {
        var process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }

        using (process)
        {
            if (!process.HasExited)
            {
                _ = Kill(process.Id, SigCont);
                _ = Kill(process.Id, SigTerm);
                using var timeout = new CancellationTokenSource(StopTimeout);
                try
                {
                    await process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync(CancellationToken.None);
                }
            }
        }
    }

    /// <summary>Freezes the process (SIGSTOP): the socket stays open but nothing answers.</summary>
    public void Pause() => Signal(SigStop);

    public void Resume() => Signal(SigCont);

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_ownsStore)
        {
            try
            {
                Directory.Delete(StoreDir, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a temp directory.
            }
        }
    }

    private async Task StartProcessAsync()
    {
        var binary = FindBinary();
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-a", "127.0.0.1", "-p", Port.ToString(), "-js", "-sd", StoreDir }.Concat(_extraArgs))
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {binary}");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitUntilAcceptingAsync(process);
    }

    private async Task WaitUntilAcceptingAsync(Process process)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"nats-server exited with {process.ExitCode} while starting on port {Port}:\n{Output}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                var buffer = new byte[4];
                using var read = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                var n = await client.GetStream().ReadAtLeastAsync(buffer, 4, throwOnEndOfStream: false, read.Token);
                if (n == 4 && Encoding.ASCII.GetString(buffer) == "INFO")
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException($"nats-server did not accept connections on port {Port} within {StartTimeout}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private void Signal(int signal)
    {
        var pid = _process?.Id ?? throw new InvalidOperationException("the server is not running");
        if (Kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    private static string FindBinary()
    {
        var candidates = new List<string> { "/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server" };
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            candidates.Add(Path.Combine(dir, "nats-server"));
        }

        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                "nats-server was not found (looked in /usr/sbin, /usr/bin, /usr/local/bin and PATH). " +
                "Run ./test.sh, which installs it, or `apt-get install nats-server`.");
    }

    private const int SigCont = 18;
    private const int SigStop = 19;
    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

using System.Diagnostics;
using System.Text;

namespace Faas.Gateway.Tests.Async;

/// <summary>
/// The real gateway binary (<c>dotnet gateway/bin/&lt;config&gt;/net10.0/Faas.Gateway.dll</c>) as a child
/// process with <c>--key=value</c> settings, on a fixed loopback port so a restarted one keeps its
/// address. <see cref="Kill"/> is <c>kill -9</c> by PID; dispose kills it too, so no test leaves one behind.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private GatewayProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public int Pid => _process.Id;

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>What the process wrote to stdout and stderr so far.</summary>
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

    /// <summary>Starts the gateway on <paramref name="port"/> and waits until <c>/healthz</c> answers.</summary>
    public static async Task<GatewayProcess> StartAsync(int port, IReadOnlyDictionary<string, string> settings)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(GatewayDll);
        var all = new Dictionary<string, string>
        {
            ["port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["bind_address"] = "127.0.0.1",
            ["metrics_port"] = "0",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        foreach (var (key, value) in all)
        {
            info.ArgumentList.Add($"--{key}={value}");
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet " + GatewayDll);
        var self = new GatewayProcess(process, port);
        process.OutputDataReceived += (_, e) => self.Append(e.Data);
        process.ErrorDataReceived += (_, e) => self.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await self.WaitHealthyAsync();
        }
        catch
        {
            await self.DisposeAsync();
            throw;
        }

        return self;
    }

    /// <summary>SIGKILL by PID, as a crash: nothing is drained or acknowledged.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            // On Unix Process.Kill is kill(pid, SIGKILL).
            _process.Kill(entireProcessTree: false);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task WaitHealthyAsync()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the gateway exited with {_process.ExitCode} while starting on port {Port}:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(Url + "/healthz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"the gateway did not answer /healthz on port {Port} within {StartTimeout}:\n{Output}");
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

    /// <summary>The gateway's own build output, built with the same configuration as this test assembly.</summary>
    private static string GatewayDll { get; } = FindGatewayDll();

    private static string FindGatewayDll()
    {
        var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = bin.Parent!.Name;
        for (var dir = bin; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Faas.sln")))
            {
                var path = Path.Combine(dir.FullName, "gateway", "bin", configuration, bin.Name, "Faas.Gateway.dll");
                return File.Exists(path)
                    ? path
                    : throw new FileNotFoundException($"{path} is missing: build the solution with -c {configuration} first (./test.sh does).", path);
            }
        }

        throw new InvalidOperationException("Faas.sln not found above " + AppContext.BaseDirectory);
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using Faas.Testing.Net;

namespace Faas.Testing.Prometheus;

/// <summary>
/// A real Prometheus (the apt package ./test.sh installs) on a free loopback port, scraping the
/// given <c>host:port</c> targets every second. Each test starts its own; dispose stops it by PID.
/// </summary>
/// <remarks>
/// 1. Temp dir with prometheus.yml, data/ and empty console dirs (nothing read from /etc).
/// 2. prometheus on a free loopback port (retried if another test took it); wait for /-/ready.
/// Dispose: SIGTERM, then kill, by PID; delete the temp dir.
/// </remarks>
public sealed partial class PrometheusServer : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);
    private const int Sigterm = 15;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "faas-prometheus-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly ConcurrentQueue<string> _log = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private Process? _process;

    private PrometheusServer()
    {
    }

    /// <summary>Base URL with a trailing slash, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>The last lines prometheus wrote, for failure messages.</summary>
    public string Log => string.Join('\n', _log);

    /// <summary>True when the <c>prometheus</c> binary is on PATH.</summary>
    public static bool IsInstalled => FindBinary() is not null;

    public static async Task<PrometheusServer> StartAsync(IEnumerable<string> targets, string jobName = "faas")
    {
        var binary = FindBinary() ?? throw new InvalidOperationException(
            "The prometheus binary was not found on PATH. Run ./test.sh, which installs the 'prometheus' apt package the integration tests need.");
        var server = new PrometheusServer();
        try
        {
            // 1.
            Directory.CreateDirectory(Path.Combine(server._directory, "data"));
            Directory.CreateDirectory(Path.Combine(server._directory, "consoles"));
            Directory.CreateDirectory(Path.Combine(server._directory, "console_libraries"));
            var list = string.Join(", ", targets.Select(t => $"'{t}'"));
            await File.WriteAllTextAsync(Path.Combine(server._directory, "prometheus.yml"), $"""
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: {jobName}
                    metrics_path: /metrics
                    static_configs:
                      - targets: [{list}]
                """);

            // 2.
            for (var attempt = 1; ; attempt++)
            {
                var port = TestPorts.Next();
                server.BaseUri = new Uri($"http://127.0.0.1:{port}/");
                server._process = server.Start(binary, port);
                try
                {
                    await server.WaitUntilReadyAsync();
                    return server;
                }
                catch (InvalidOperationException) when (attempt < 3 && server._log.Any(l => l.Contains("address already in use", StringComparison.Ordinal)))
                {
                    server._process.Dispose();
                    server._log.Clear();
                }
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            try
            {
                if (!process.HasExited)
                {
                    _ = Kill(process.Id, Sigterm);
                    using var stop = new CancellationTokenSource(StopTimeout);
                    try
                    {
                        await process.WaitForExitAsync(stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        process.Kill();
                        await process.WaitForExitAsync();
                    }
                }
            }
            finally
            {
                process.Dispose();
                _process = null;
            }
        }

        _http.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private Process Start(string binary, int port)
    {
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        foreach (var argument in new[]
        {
            $"--config.file={Path.Combine(_directory, "prometheus.yml")}",
            $"--storage.tsdb.path={Path.Combine(_directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}",
            $"--web.console.templates={Path.Combine(_directory, "consoles")}",
            $"--web.console.libraries={Path.Combine(_directory, "console_libraries")}",
            "--log.level=warn",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {binary}.");
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < ReadyTimeout)
        {
            if (_process!.HasExited)
            {
                await _process.WaitForExitAsync();
                throw new InvalidOperationException($"prometheus exited with code {_process.ExitCode} before becoming ready:\n{Log}");
            }

            try
            {
                using var response = await _http.GetAsync(new Uri(BaseUri, "-/ready"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"prometheus was not ready within {ReadyTimeout}:\n{Log}");
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        _log.Enqueue(line);
        while (_log.Count > 100 && _log.TryDequeue(out _))
        {
        }
    }

    private static string? FindBinary()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, "prometheus");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    // Process.Kill sends SIGKILL; SIGTERM lets prometheus close its TSDB cleanly first.
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

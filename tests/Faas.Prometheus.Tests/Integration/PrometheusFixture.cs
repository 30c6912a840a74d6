using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Faas.Prometheus.Query;

namespace Faas.Prometheus.Tests.Integration;

/// <summary>
/// A real Prometheus (the apt package ./test.sh installs) scraping a Kestrel target every second.
/// Each test class gets its own server, registry and job name, so classes run in parallel.
/// </summary>
/// <remarks>
/// 1. Temp dir with prometheus.yml, data/ and empty console dirs (nothing read from /etc).
/// 2. Scrape target on 127.0.0.1:0 serving <see cref="Registry"/>.
/// 3. prometheus on a free loopback port; wait for /-/ready (bounded).
/// Dispose: SIGTERM, then kill, by PID; stop the target; delete the temp dir.
/// </remarks>
public sealed class PrometheusFixture : IAsyncLifetime
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "faas-prometheus-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly ConcurrentQueue<string> _log = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private ScrapeTarget? _target;
    private Process? _process;

    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    public MetricFactory Factory => Metrics.WithCustomRegistry(Registry);

    public string JobName { get; } = "faas_it_" + Guid.NewGuid().ToString("N")[..8];

    public Uri BaseUri { get; private set; } = null!;

    public PrometheusQueryClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var binary = FindBinary() ?? throw new InvalidOperationException(
            "The prometheus binary was not found on PATH. Run ./test.sh, which installs the 'prometheus' apt package the integration tests need.");

        try
        {
            // 1.
            Directory.CreateDirectory(Path.Combine(_directory, "data"));
            Directory.CreateDirectory(Path.Combine(_directory, "consoles"));
            Directory.CreateDirectory(Path.Combine(_directory, "console_libraries"));

            // 2.
            _target = await ScrapeTarget.StartAsync(Registry, _directory);
            await File.WriteAllTextAsync(Path.Combine(_directory, "prometheus.yml"), $"""
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: {JobName}
                    metrics_path: /metrics
                    static_configs:
                      - targets: ['{_target.Address.Authority}']
                """);

            // 3. The free port can be taken by another test before prometheus binds it: retry a few times.
            for (var attempt = 1; ; attempt++)
            {
                var port = FreeLoopbackPort();
                BaseUri = new Uri($"http://127.0.0.1:{port}/");
                Client = new PrometheusQueryClient(_http, BaseUri);
                _process = StartPrometheus(binary, port);
                try
                {
                    await WaitUntilReadyAsync();
                    break;
                }
                catch (InvalidOperationException) when (attempt < 3 && _log.Any(line => line.Contains("address already in use", StringComparison.Ordinal)))
                {
                    _process.Dispose();
                    _log.Clear();
                }
            }
        }
        catch
        {
            // xunit does not dispose a fixture whose initialization failed: clean up here.
            await DisposeAsync();
            throw;
        }
    }

    private Process StartPrometheus(string binary, int port)
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

    /// <summary>
    /// Evaluates <paramref name="query"/> until its single value satisfies <paramref name="accept"/>,
    /// running <paramref name="beforeEachAttempt"/> first (e.g. to keep a counter moving).
    /// </summary>
    public async Task<double> WaitForValueAsync(string query, Func<double, bool> accept, Action? beforeEachAttempt = null, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        var last = "no result yet";
        for (var attempt = 0; attempt < 300 && deadline.Elapsed < limit; attempt++)
        {
            beforeEachAttempt?.Invoke();
            var result = await Client.QueryAsync(query);
            double? value = result switch
            {
                InstantVector { Samples.Count: 1 } vector => vector.Samples[0].Value,
                Scalar scalar => scalar.Value,
                _ => null,
            };
            if (value is { } v && accept(v))
            {
                return v;
            }

            last = value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? result.ToString()!;
            await Task.Delay(250);
        }

        throw new TimeoutException($"'{query}' did not reach the expected value within {limit}; last: {last}. Prometheus log:\n{string.Join('\n', _log)}");
    }

    public async Task DisposeAsync()
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

        if (_target is { } target)
        {
            _target = null;
            await target.DisposeAsync();
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

    private async Task WaitUntilReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < ReadyTimeout)
        {
            if (_process!.HasExited)
            {
                await _process.WaitForExitAsync(); // drains the redirected output into the log
                throw new InvalidOperationException(
                    $"prometheus exited with code {_process.ExitCode} before becoming ready:\n{string.Join('\n', _log)}");
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

        throw new TimeoutException($"prometheus was not ready within {ReadyTimeout}:\n{string.Join('\n', _log)}");
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

    internal static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private const int Sigterm = 15;

    // Process.Kill sends SIGKILL; SIGTERM lets prometheus close its TSDB cleanly first.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}

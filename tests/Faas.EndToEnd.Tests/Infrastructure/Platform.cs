using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Faas.Testing.Net;

namespace Faas.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A whole platform for one test class: the real controller (process backend) and gateway as
/// separate processes on loopback ports, with state, artifacts, credentials and the faas-cli
/// configuration in a temporary folder that is removed afterwards.
/// </summary>
public sealed class Platform : IAsyncDisposable
{
    private const string User = "admin";

    private ChildProcess? _controller;
    private ChildProcess? _gateway;
    private ChildProcess? _prometheus;
    private int _controllerStarts;

    private Platform(string workDir, bool autoscaling, DockerSettings? docker, KubernetesSettings? kubernetes)
    {
        WorkDir = workDir;
        Autoscaling = autoscaling;
        Docker = docker;
        Kubernetes = kubernetes;
        MetricsPort = TestPorts.Next();
        PrometheusPort = TestPorts.Next();
        Password = Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant();
        ControllerPort = TestPorts.Next();
        GatewayPort = TestPorts.Next();
        Directory.CreateDirectory(SecretsDir);
        Directory.CreateDirectory(StateDir);
        Directory.CreateDirectory(ArtifactStore);
        Directory.CreateDirectory(ProjectDir);
        File.WriteAllText(Path.Combine(SecretsDir, "basic-auth-user"), User);
        File.WriteAllText(Path.Combine(SecretsDir, "basic-auth-password"), Password + "\n");
        Http = new HttpClient { BaseAddress = new Uri(GatewayUrl), Timeout = TimeSpan.FromSeconds(90) };
        Admin = new HttpClient { BaseAddress = new Uri(GatewayUrl), Timeout = TimeSpan.FromSeconds(90) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));
    }

    public string WorkDir { get; }

    /// <summary>Prometheus runs (scraping the gateway through the controller's generated config) and the autoscaler is on.</summary>
    public bool Autoscaling { get; }

    /// <summary>Set: the controller runs the Docker backend on this daemon and network, and faas-cli gets <c>DOCKER_HOST</c>.</summary>
    public DockerSettings? Docker { get; }

    /// <summary>Set: the controller runs the Kubernetes backend against this API server and namespace.</summary>
    public KubernetesSettings? Kubernetes { get; }

    /// <summary>The gateway's metrics listener.</summary>
    public int MetricsPort { get; }

    public int PrometheusPort { get; }

    public string PrometheusUrl => $"http://127.0.0.1:{PrometheusPort}";

    public string SecretsDir => Path.Combine(WorkDir, "secrets");

    public string StateDir => Path.Combine(WorkDir, "state");

    public string ArtifactStore => Path.Combine(WorkDir, "artifacts");

    /// <summary>Where the tests run faas-cli, as a user would run it in their project folder.</summary>
    public string ProjectDir => Path.Combine(WorkDir, "project");

    public string Password { get; }

    public int ControllerPort { get; }

    public int GatewayPort { get; }

    public string GatewayUrl => $"http://127.0.0.1:{GatewayPort}";

    public string ControllerUrl => $"http://127.0.0.1:{ControllerPort}";

    /// <summary>Client for the public routes (no credentials).</summary>
    public HttpClient Http { get; }

    /// <summary>Client with the admin's basic auth for <c>/system/*</c>.</summary>
    public HttpClient Admin { get; }

    public ChildProcess Controller => _controller ?? throw new InvalidOperationException("controller not started");

    /// <param name="autoscaling">
    /// Also start a real Prometheus on <c>&lt;state_dir&gt;/prometheus.yml</c> (written by the
    /// controller, scraping the gateway's metrics port every second) and run the autoscaler every second.
    /// </param>
    /// <param name="docker">Run the controller's Docker backend instead of the process backend.</param>
    /// <param name="kubernetes">Run the controller's Kubernetes backend instead of the process backend.</param>
    public static async Task<Platform> StartAsync(string name, bool autoscaling = false, DockerSettings? docker = null, KubernetesSettings? kubernetes = null)
    {
        var workDir = Directory.CreateTempSubdirectory($"faas-e2e-{name}-").FullName;
        var platform = new Platform(workDir, autoscaling, docker, kubernetes);
        try
        {
            await platform.StartControllerAsync();
            await platform.StartGatewayAsync();
            if (autoscaling)
            {
                await platform.StartPrometheusAsync();
            }

            return platform;
        }
        catch
        {
            await platform.DisposeAsync();
            throw;
        }
    }

    public async Task StartControllerAsync()
    {
        var env = new Dictionary<string, string>
        {
            ["port"] = ControllerPort.ToString(),
            ["bind_address"] = "127.0.0.1",
            ["basic_auth"] = "true",
            ["secret_mount_path"] = SecretsDir,
            ["state_dir"] = StateDir,
            ["artifact_store"] = ArtifactStore,
            ["watchdog_path"] = RepoLayout.WatchdogDll,
            ["gateway_metrics_target"] = $"127.0.0.1:{MetricsPort}",
            ["DOTNET_ENVIRONMENT"] = "Production",
        };
        if (Autoscaling)
        {
            env["prometheus_url"] = PrometheusUrl;
            env["autoscaler_interval"] = "1s";
        }

        if (Docker is not null)
        {
            env["backend"] = "docker";
            env["docker_host"] = Docker.Host;
            env["docker_network"] = Docker.Network;
            env["replica_drain_timeout"] = "2s";
        }

        if (Kubernetes is not null)
        {
            env["backend"] = "kubernetes";
            env["kubeconfig"] = Kubernetes.Kubeconfig;
            env["function_namespace"] = Kubernetes.FunctionNamespace;
            env["kubernetes_watchdog_port"] = Kubernetes.WatchdogPort.ToString();
        }

        _controllerStarts++;
        _controller = ChildProcess.Start("dotnet", [RepoLayout.ControllerDll], env, Path.Combine(WorkDir, $"controller-{_controllerStarts}.log"));
        await WaitForHealthAsync(ControllerUrl, _controller, "controller");
    }

    public async Task StopControllerAsync(bool crash)
    {
        if (_controller is null)
        {
            return;
        }

        if (crash)
        {
            await _controller.CrashAsync();
        }
        else
        {
            await _controller.StopAsync(TimeSpan.FromSeconds(30));
        }

        await _controller.DisposeAsync();
        _controller = null;
    }

    private async Task StartGatewayAsync()
    {
        var env = new Dictionary<string, string>
        {
            ["port"] = GatewayPort.ToString(),
            // Metrics listener on a free port, so a busy 8082 cannot fail the journey.
            ["metrics_port"] = MetricsPort.ToString(),
            ["bind_address"] = "127.0.0.1",
            ["functions_provider_url"] = ControllerUrl,
            ["basic_auth"] = "true",
            ["secret_mount_path"] = SecretsDir,
            ["DOTNET_ENVIRONMENT"] = "Production",
        };
        if (Autoscaling)
        {
            env["prometheus_url"] = PrometheusUrl;
        }

        if (Kubernetes is not null)
        {
            env["function_namespace"] = Kubernetes.FunctionNamespace;
            env["ready_wait_timeout"] = Kubernetes.ReadyWaitTimeout;
        }

        _gateway = ChildProcess.Start("dotnet", [RepoLayout.GatewayDll], env, Path.Combine(WorkDir, "gateway.log"));
        await WaitForHealthAsync(GatewayUrl, _gateway, "gateway");
    }

    private async Task StartPrometheusAsync()
    {
        var config = Path.Combine(StateDir, "prometheus.yml");
        if (!File.Exists(config))
        {
            throw new InvalidOperationException($"the controller did not write {config}:\n{Controller.ReadLog()}");
        }

        var data = Path.Combine(WorkDir, "prometheus");
        Directory.CreateDirectory(data);
        _prometheus = ChildProcess.Start(
            "prometheus",
            [
                $"--config.file={config}",
                $"--storage.tsdb.path={data}",
                $"--web.listen-address=127.0.0.1:{PrometheusPort}",
                "--log.level=warn",
            ],
            new Dictionary<string, string>(),
            Path.Combine(WorkDir, "prometheus.log"),
            data);
        await WaitForHealthAsync(PrometheusUrl, _prometheus, "prometheus", "/-/ready");
    }

    internal static async Task WaitForHealthAsync(string baseUrl, ChildProcess process, string what, string path = "/healthz")
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{what} exited during start-up:\n{process.ReadLog()}");
            }

            try
            {
                using var response = await client.GetAsync(baseUrl + path);
                if (response.IsSuccessStatusCode && !process.HasExited)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{what} did not answer {path} within 60s:\n{process.ReadLog()}");
    }

    /// <summary>Logs the CLI in as the admin, reading the password from stdin as run.sh does.</summary>
    public async Task LoginAsync()
    {
        var result = await RunCliAsync(["login", "--username", User, "--password-stdin"], stdin: Password);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"faas-cli login failed: {result}\n--- controller log\n{_controller?.ReadLog()}\n--- gateway log\n{_gateway?.ReadLog()}");
        }
    }

    /// <summary>Runs the real faas-cli binary in <see cref="ProjectDir"/> against this platform.</summary>
    public async Task<CliResult> RunCliAsync(string[] args, string? stdin = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = ProjectDir,
        };
        info.ArgumentList.Add(RepoLayout.CliDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["OPENFAAS_URL"] = GatewayUrl;
        info.Environment["OPENFAAS_CONFIG"] = Path.Combine(WorkDir, "openfaas-config");
        info.Environment["FAAS_ARTIFACT_STORE"] = ArtifactStore;
        if (Docker is not null)
        {
            info.Environment["DOCKER_HOST"] = Docker.Host;
        }

        // A private package cache: the handler SDK package is rebuilt with a fixed version, and a
        // shared cache would hand later builds a stale copy.
        info.Environment["NUGET_PACKAGES"] = Path.Combine(WorkDir, "nuget-packages");

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"faas-cli {string.Join(' ', args)} did not finish in time:\n{await stdout}\n{await stderr}");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; the failure message carries the controller log tail.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{what} did not happen within {timeout}.\ncontroller log:\n{Tail(_controller?.ReadLog())}\ngateway log:\n{Tail(_gateway?.ReadLog())}");
    }

    public string Diagnostics() => $"controller log:\n{Tail(_controller?.ReadLog())}\ngateway log:\n{Tail(_gateway?.ReadLog())}";

    private static string Tail(string? text, int lines = 60)
    {
        if (text is null)
        {
            return "(none)";
        }

        var all = text.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Admin.Dispose();
        if (_prometheus is not null)
        {
            await _prometheus.DisposeAsync();
        }

        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        // A graceful stop makes the controller stop its replicas.
        await StopControllerAsync(crash: false);
        KillLeftoverReplicas();
        try
        {
            Directory.Delete(WorkDir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// Safety net for a failed test: any process whose environment names this platform's state
    /// folder is one of its replicas, and is killed. Only our own processes can match.
    /// </summary>
    private void KillLeftoverReplicas()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var environ = File.ReadAllText(Path.Combine(dir, "environ"));
                if (environ.Contains(StateDir, StringComparison.Ordinal))
                {
                    ChildProcess.Signal(pid, 9);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}

/// <summary>The daemon (a <c>DOCKER_HOST</c> value) and the bridge network a Docker-backend platform uses.</summary>
public sealed record DockerSettings(string Host, string Network);

/// <summary>
/// The API server (a kubeconfig), the function namespace (controller and gateway), the port every "pod" is
/// reached on (a local watchdog stands in for the pods) and the gateway's <c>ready_wait_timeout</c>.
/// </summary>
public sealed record KubernetesSettings(string Kubeconfig, string FunctionNamespace, int WatchdogPort, string ReadyWaitTimeout = "30s");

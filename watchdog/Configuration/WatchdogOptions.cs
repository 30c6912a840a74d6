using System.Diagnostics.CodeAnalysis;
using System.Net;
using Faas.Function;

namespace Faas.Watchdog.Configuration;

/// <summary>
/// The watchdog's settings, read from a flat dictionary of lower-case snake keys (the environment
/// in production, a literal in tests). See the key table in <c>watchdog/README.md</c>.
/// </summary>
public sealed record WatchdogOptions
{
    public const string DefaultHandlerAssembly = "/home/app/function/Function.dll";

    public int Port { get; init; } = 8080;

    /// <summary>Port of the separate <c>/metrics</c> listener, as of-watchdog; 0 turns metrics off.</summary>
    public int MetricsPort { get; init; } = 8081;

    public IPAddress BindAddress { get; init; } = IPAddress.Any;

    public WatchdogMode Mode { get; init; } = WatchdogMode.InProc;

    public string HandlerAssembly { get; init; } = DefaultHandlerAssembly;

    /// <summary>Full name of the handler class when the assembly holds several; null scans.</summary>
    public string? HandlerType { get; init; }

    public string FunctionName { get; init; } = "function";

    public string FunctionNamespace { get; init; } = "openfaas-fn";

    /// <summary>Per-call limit; <see cref="TimeSpan.Zero"/> means none.</summary>
    public TimeSpan ExecTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Also bounds how long in-flight calls may run after a SIGTERM.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Concurrent calls allowed; 0 means no limit.</summary>
    public int MaxInflight { get; init; }

    public long MaxRequestBody { get; init; } = 16 * 1024 * 1024;

    /// <summary>How long the replica shows unready after SIGTERM before it drains.</summary>
    public TimeSpan HealthcheckInterval { get; init; } = TimeSpan.FromSeconds(1);

    public string SecretsPath { get; init; } = FileSecretStore.DefaultPath;

    public bool LogTimestamps { get; init; }

    /// <summary>OpenFaaS-style lock file written when ready and removed on drain; null writes none.</summary>
    public string? LockFilePath { get; init; }

    /// <summary>The command of the http and streaming modes, run with <c>/bin/sh -c</c>; null in inproc mode.</summary>
    public string? FunctionProcess { get; init; }

    /// <summary>Where the http mode's process listens.</summary>
    public Uri UpstreamUrl { get; init; } = new("http://127.0.0.1:3000");

    /// <summary>How long the http mode waits for <see cref="UpstreamUrl"/> to accept connections at start-up.</summary>
    public TimeSpan UpstreamStartupTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Response Content-Type of the streaming mode; null answers with the request's.</summary>
    public string? ContentType { get; init; }

    /// <summary>Reads every key, collecting all errors instead of stopping at the first.</summary>
    public static bool TryParse(
        IReadOnlyDictionary<string, string> config,
        [NotNullWhen(true)] out WatchdogOptions? options,
        out IReadOnlyList<OptionError> errors)
    {
        var reader = new OptionReader(config);
        var defaults = new WatchdogOptions();
        var parsed = new WatchdogOptions
        {
            Port = reader.Int("port", defaults.Port, 0, 65535, "a TCP port 1-65535 (0 picks a free port)"),
            BindAddress = reader.Address("bind_address", defaults.BindAddress),
            MetricsPort = reader.Int("metrics_port", defaults.MetricsPort, 0, 65535, "0 (off) or a TCP port 1-65535"),
            Mode = reader.Mode("mode"),
            HandlerAssembly = reader.Text("handler_assembly") ?? defaults.HandlerAssembly,
            HandlerType = reader.Text("handler_type"),
            FunctionName = reader.Text("function_name") ?? defaults.FunctionName,
            FunctionNamespace = reader.Text("function_namespace") ?? defaults.FunctionNamespace,
            ExecTimeout = reader.Duration("exec_timeout", defaults.ExecTimeout, allowZero: true),
            ReadTimeout = reader.Duration("read_timeout", defaults.ReadTimeout, allowZero: false),
            WriteTimeout = reader.Duration("write_timeout", defaults.WriteTimeout, allowZero: false),
            MaxInflight = reader.Int("max_inflight", defaults.MaxInflight, 0, int.MaxValue, "0 (no limit) or a positive number of concurrent calls"),
            MaxRequestBody = reader.ByteSize("max_request_body", defaults.MaxRequestBody),
            HealthcheckInterval = reader.Duration("healthcheck_interval", defaults.HealthcheckInterval, allowZero: true),
            SecretsPath = reader.Text("secrets_path") ?? defaults.SecretsPath,
            LogTimestamps = reader.Bool("log_timestamps", defaults.LogTimestamps),
            LockFilePath = reader.Text("lock_file_path"),
            FunctionProcess = reader.Text("fprocess") ?? reader.Text("function_process"),
            UpstreamUrl = reader.HttpUrl("upstream_url", reader.HttpUrl("http_upstream_url", defaults.UpstreamUrl)),
            UpstreamStartupTimeout = reader.Duration("upstream_startup_timeout", defaults.UpstreamStartupTimeout, allowZero: false),
            ContentType = reader.Text("content_type"),
        };

        if (parsed.Mode is WatchdogMode.Http or WatchdogMode.Streaming && parsed.FunctionProcess is null)
        {
            reader.Error("fprocess", null, $"required in {parsed.Mode.ToString().ToLowerInvariant()} mode: the command to run, such as 'dotnet Root.dll'");
        }

        if (parsed.MetricsPort != 0 && parsed.MetricsPort == parsed.Port)
        {
            reader.Error("metrics_port", parsed.MetricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "must differ from port; use another port or 0 (off)");
        }

        errors = reader.Errors;
        options = errors.Count == 0 ? parsed : null;
        return options is not null;
    }

    /// <summary>Like <see cref="TryParse"/>, throwing one exception that lists every error.</summary>
    public static WatchdogOptions Parse(IReadOnlyDictionary<string, string> config) =>
        TryParse(config, out var options, out var errors)
            ? options
            : throw new WatchdogStartupException("invalid watchdog configuration", errors.Select(e => e.ToString()).ToArray());
}

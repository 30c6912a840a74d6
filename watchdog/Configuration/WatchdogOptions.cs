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
        };

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

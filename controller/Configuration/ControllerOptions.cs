using System.Globalization;
using System.Net;
using Faas.Contracts.Naming;
using Faas.Contracts.Time;

namespace Faas.Controller.Configuration;

/// <summary>
/// The controller's configuration, read once at start-up from ASP.NET Core configuration
/// (environment variables of the same name, or <c>--key=value</c>). Immutable after that.
/// </summary>
public sealed record ControllerOptions
{
    public const string ProcessBackend = "process";
    public const string DockerBackend = "docker";
    public const string KubernetesBackend = "kubernetes";
    public static readonly IReadOnlyList<string> SupportedBackends = [ProcessBackend, DockerBackend, KubernetesBackend];

    /// <summary>0 picks a free port (tests).</summary>
    public int Port { get; init; } = 8081;
    public string BindAddress { get; init; } = "127.0.0.1";
    public bool BasicAuth { get; init; }
    public string SecretMountPath { get; init; } = "/run/secrets/";
    public string FunctionNamespace { get; init; } = FunctionNames.DefaultNamespace;
    public string Backend { get; init; } = ProcessBackend;
    public string StateDir { get; init; } = DefaultStateDir;
    public string ArtifactStore { get; init; } = Contracts.Artifacts.ArtifactStore.ResolveRoot();

    /// <summary>Null when no path was configured and the default search found nothing.</summary>
    public string? WatchdogPath { get; init; }

    /// <summary>Where the default search for the watchdog looked (for error messages).</summary>
    public IReadOnlyList<string> WatchdogSearchPaths { get; init; } = [];
    public string DotnetPath { get; init; } = "dotnet";
    public TimeSpan ReplicaStartupTimeout { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan ReplicaDrainTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public static string DefaultStateDir =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".faas", "state");

    /// <summary>
    /// Reads and validates every key; throws <see cref="ControllerOptionsException"/> listing all
    /// problems at once, each with the key, the value given and what is accepted.
    /// </summary>
    public static ControllerOptions Load(IConfiguration configuration)
    {
        var errors = new List<string>();
        var defaults = new ControllerOptions();

        var port = ReadInt(configuration, "port", defaults.Port, 0, 65535, errors);

        var bind = Read(configuration, "bind_address") ?? defaults.BindAddress;
        if (!IPAddress.TryParse(bind, out _) && !string.Equals(bind, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"bind_address '{bind}' is invalid: use an IP address such as 127.0.0.1 or 0.0.0.0, or localhost");
        }

        var basicAuth = ReadBool(configuration, "basic_auth", false, errors);
        var secretMountPath = Read(configuration, "secret_mount_path") ?? defaults.SecretMountPath;

        var ns = Read(configuration, "function_namespace") ?? defaults.FunctionNamespace;
        if (FunctionNames.Validate(ns, "function_namespace") is { } nsError)
        {
            errors.Add(nsError);
        }
        else if (ns == NamespacePolicy.KubeSystem)
        {
            errors.Add("function_namespace 'kube-system' is reserved: use another namespace such as openfaas-fn");
        }

        var backend = (Read(configuration, "backend") ?? defaults.Backend).ToLowerInvariant();
        if (!SupportedBackends.Contains(backend))
        {
            errors.Add($"backend '{backend}' is not supported: supported backends are {string.Join(", ", SupportedBackends)}");
        }

        var stateDir = Path.GetFullPath(ExpandHome(Read(configuration, "state_dir") ?? DefaultStateDir));
        var artifactStore = Contracts.Artifacts.ArtifactStore.ResolveRoot(ExpandHome(Read(configuration, "artifact_store")));

        var searched = new List<string>();
        string? watchdogPath = null;
        if (Read(configuration, "watchdog_path") is { } configuredWatchdog)
        {
            watchdogPath = Path.GetFullPath(ExpandHome(configuredWatchdog));
            if (!File.Exists(watchdogPath))
            {
                errors.Add($"watchdog_path '{configuredWatchdog}' does not exist: give the path of Faas.Watchdog.dll (build watchdog/ first)");
            }
        }
        else
        {
            watchdogPath = WatchdogLocator.Find(searched);
        }

        var dotnet = Read(configuration, "dotnet_path") ?? defaults.DotnetPath;
        var startup = ReadDuration(configuration, "replica_startup_timeout", defaults.ReplicaStartupTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1), errors);
        var drain = ReadDuration(configuration, "replica_drain_timeout", defaults.ReplicaDrainTimeout, TimeSpan.Zero, TimeSpan.FromMinutes(10), errors);

        if (errors.Count > 0)
        {
            throw new ControllerOptionsException(errors);
        }

        return new ControllerOptions
        {
            Port = port,
            BindAddress = bind,
            BasicAuth = basicAuth,
            SecretMountPath = secretMountPath,
            FunctionNamespace = ns,
            Backend = backend,
            StateDir = stateDir,
            ArtifactStore = artifactStore,
            WatchdogPath = watchdogPath,
            WatchdogSearchPaths = searched,
            DotnetPath = dotnet,
            ReplicaStartupTimeout = startup,
            ReplicaDrainTimeout = drain,
        };
    }

    private static string? Read(IConfiguration configuration, string key)
    {
        var value = configuration[key];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>Expands a leading <c>~/</c>, as a shell would for a value typed on the command line.</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(path))]
    private static string? ExpandHome(string? path) =>
        path is not null && (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~').TrimStart('/'))
            : path;

    private static int ReadInt(IConfiguration configuration, string key, int fallback, int min, int max, List<string> errors)
    {
        var text = Read(configuration, key);
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors.Add($"{key} '{text}' is invalid: use a whole number from {min} to {max}");
        return fallback;
    }

    private static bool ReadBool(IConfiguration configuration, string key, bool fallback, List<string> errors)
    {
        var text = Read(configuration, key);
        if (text is null)
        {
            return fallback;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        errors.Add($"{key} '{text}' is invalid: use true or false");
        return fallback;
    }

    private static TimeSpan ReadDuration(IConfiguration configuration, string key, TimeSpan fallback, TimeSpan min, TimeSpan max, List<string> errors)
    {
        var text = Read(configuration, key);
        if (text is null)
        {
            return fallback;
        }

        if (GoDuration.TryParse(text, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors.Add($"{key} '{text}' is invalid: use seconds or a Go duration (e.g. 30s, 1m30s) from {GoDuration.Format(min)} to {GoDuration.Format(max)}");
        return fallback;
    }
}

/// <summary>Start-up configuration errors, all of them in one message.</summary>
public sealed class ControllerOptionsException(IReadOnlyList<string> errors)
    : Exception("invalid controller configuration:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

using System.Net;
using Faas.Contracts.Naming;

namespace Faas.Gateway.Configuration;

/// <summary>
/// Reads and validates <see cref="GatewayOptions"/> from configuration. Every problem is collected
/// and reported together, each naming the key, the value and what is allowed.
/// </summary>
public static class GatewayOptionsReader
{
    public const string PortKey = "port";
    public const string BindAddressKey = "bind_address";
    public const string FunctionsProviderUrlKey = "functions_provider_url";
    public const string BasicAuthKey = "basic_auth";
    public const string SecretMountPathKey = "secret_mount_path";
    public const string FunctionNamespaceKey = "function_namespace";
    public const string UpstreamTimeoutKey = "upstream_timeout";
    public const string MaxRequestBodyKey = "max_request_body";
    public const string ReadyWaitTimeoutKey = "ready_wait_timeout";
    public const string MaxHeldRequestsPerFunctionKey = "max_held_requests_per_function";
    public const string MetricsPortKey = "metrics_port";
    public const string PrometheusUrlKey = "prometheus_url";
    public const string PrometheusHostKey = "faas_prometheus_host";
    public const string PrometheusPortKey = "faas_prometheus_port";

    public const string UserFile = "basic-auth-user";
    public const string PasswordFile = "basic-auth-password";

    private static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(24);
    private const long MaxBodyLimit = 16L * 1024 * 1024 * 1024;
    private const int MaxHeldLimit = 1_000_000;

    /// <summary>Returns the options or throws <see cref="GatewayOptionsException"/> listing every error.</summary>
    public static GatewayOptions Read(IConfiguration configuration)
    {
        var errors = new List<string>();
        var options = TryRead(configuration, errors);
        Async.AsyncOptionsReader.TryRead(configuration, errors); // async keys too, so every error shows at once
        return errors.Count == 0 && options is not null ? options : throw new GatewayOptionsException(errors);
    }

    /// <summary>Collects every error into <paramref name="errors"/>; returns null when there is any.</summary>
    public static GatewayOptions? TryRead(IConfiguration configuration, List<string> errors)
    {
        var defaults = new GatewayOptions { FunctionsProviderUrl = new Uri("http://127.0.0.1:8081") };

        var port = ConfigValues.Int(configuration, PortKey, defaults.Port, 0, 65535, errors);

        var bind = ConfigValues.Value(configuration, BindAddressKey) ?? defaults.BindAddress;
        if (!bind.Equals("localhost", StringComparison.OrdinalIgnoreCase) && !IPAddress.TryParse(bind, out _))
        {
            errors.Add($"{BindAddressKey}='{bind}' is not an IP address; use an IPv4/IPv6 address such as 127.0.0.1 or 0.0.0.0, or 'localhost'");
        }

        Uri? providerUrl = null;
        var providerText = ConfigValues.Value(configuration, FunctionsProviderUrlKey);
        if (providerText is null)
        {
            errors.Add($"{FunctionsProviderUrlKey} is required: the controller's base URL, e.g. http://127.0.0.1:8081");
        }
        else if (!Uri.TryCreate(providerText, UriKind.Absolute, out providerUrl)
                 || (providerUrl.Scheme != Uri.UriSchemeHttp && providerUrl.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"{FunctionsProviderUrlKey}='{providerText}' is not an absolute http(s) URL, e.g. http://127.0.0.1:8081");
            providerUrl = null;
        }

        var basicAuth = ConfigValues.Bool(configuration, BasicAuthKey, defaults.BasicAuth, errors);
        var secretPath = ConfigValues.Value(configuration, SecretMountPathKey) ?? defaults.SecretMountPath;
        BasicAuthCredentials? credentials = null;
        if (basicAuth)
        {
            credentials = ReadCredentials(secretPath, errors);
        }

        var ns = ConfigValues.Value(configuration, FunctionNamespaceKey) ?? defaults.FunctionNamespace;
        if (FunctionNames.Validate(ns, "namespace") is { } nsError)
        {
            errors.Add($"{FunctionNamespaceKey}='{ns}': {nsError}");
        }

        var upstreamTimeout = ConfigValues.Duration(configuration, UpstreamTimeoutKey, defaults.UpstreamTimeout, TimeSpan.Zero, MaxTimeout, errors, minExclusive: true);
        var readyWait = ConfigValues.Duration(configuration, ReadyWaitTimeoutKey, defaults.ReadyWaitTimeout, TimeSpan.Zero, MaxTimeout, errors, minExclusive: false);
        var maxHeld = ConfigValues.Int(configuration, MaxHeldRequestsPerFunctionKey, defaults.MaxHeldRequestsPerFunction, 1, MaxHeldLimit, errors);
        var maxBody = ConfigValues.Size(configuration, MaxRequestBodyKey, defaults.MaxRequestBody, 1, MaxBodyLimit, "64Mi", errors);
        var metricsPort = ConfigValues.Int(configuration, MetricsPortKey, defaults.MetricsPort, 0, 65535, errors);
        if (metricsPort != 0 && metricsPort == port)
        {
            errors.Add($"{MetricsPortKey}='{metricsPort}' is the same as {PortKey}; the metrics listener needs its own port");
        }

        var prometheusUrl = ReadPrometheusUrl(configuration, errors);

        if (errors.Count > 0 || providerUrl is null)
        {
            return null;
        }

        return new GatewayOptions
        {
            Port = port,
            BindAddress = bind,
            FunctionsProviderUrl = providerUrl,
            BasicAuth = basicAuth,
            SecretMountPath = secretPath,
            Credentials = credentials,
            FunctionNamespace = ns,
            UpstreamTimeout = upstreamTimeout,
            MaxRequestBody = maxBody,
            ReadyWaitTimeout = readyWait,
            MaxHeldRequestsPerFunction = maxHeld,
            MetricsPort = metricsPort,
            PrometheusUrl = prometheusUrl,
        };
    }

    /// <summary><c>prometheus_url</c>, else <c>faas_prometheus_host</c> + <c>faas_prometheus_port</c> (9090) as OpenFaaS; null when neither is set.</summary>
    private static Uri? ReadPrometheusUrl(IConfiguration configuration, List<string> errors)
    {
        if (ConfigValues.Value(configuration, PrometheusUrlKey) is { } text)
        {
            if (Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
            {
                return url;
            }

            errors.Add($"{PrometheusUrlKey}='{text}' is not an absolute http(s) URL, e.g. http://127.0.0.1:9090");
            return null;
        }

        if (ConfigValues.Value(configuration, PrometheusHostKey) is not { } host)
        {
            return null;
        }

        var prometheusPort = ConfigValues.Int(configuration, PrometheusPortKey, 9090, 1, 65535, errors);
        if (Uri.TryCreate($"http://{host}:{prometheusPort}/", UriKind.Absolute, out var hostUrl))
        {
            return hostUrl;
        }

        errors.Add($"{PrometheusHostKey}='{host}' is not a host name or address");
        return null;
    }






    private static BasicAuthCredentials? ReadCredentials(string secretPath, List<string> errors)
    {
        var user = ReadSecret(secretPath, UserFile, errors);
        var password = ReadSecret(secretPath, PasswordFile, errors);
        return user is null || password is null ? null : new BasicAuthCredentials(user, password);
    }

    private static string? ReadSecret(string secretPath, string file, List<string> errors)
    {
        var path = Path.Combine(secretPath, file);
        try
        {
            var value = File.ReadAllText(path).Trim();
            if (value.Length > 0)
            {
                return value;
            }

            errors.Add($"{BasicAuthKey}=true but {path} is empty; write the {file} value there");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{BasicAuthKey}=true but {path} cannot be read ({e.Message}); set {SecretMountPathKey} to the folder holding {UserFile} and {PasswordFile}");
        }

        return null;
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Faas.Contracts.Json;
using Faas.Contracts.Time;
using Faas.Gateway.Auth;
using Faas.Gateway.Configuration;
using Faas.Gateway.Provider;

namespace Faas.Gateway.Async;

/// <summary>
/// The retry policy of each function: the gateway's, overridden per function by the annotations
/// <c>com.openfaas.retry.attempts</c>, <c>.codes</c>, <c>.min_wait</c> and <c>.max_wait</c>
/// (read from the controller's <c>GET /system/function/{name}</c>, cached for <see cref="CacheTtl"/>).
/// An invalid or absent annotation keeps the gateway's value; an unreachable controller gives the
/// gateway's policy.
/// </summary>
public sealed partial class FunctionRetryPolicies(
    AsyncOptions options,
    GatewayOptions gatewayOptions,
    UpstreamHttp http,
    BasicAuthenticator auth,
    TimeProvider time,
    ILogger<FunctionRetryPolicies> logger)
{
    public const string AttemptsAnnotation = "com.openfaas.retry.attempts";
    public const string CodesAnnotation = "com.openfaas.retry.codes";
    public const string MinWaitAnnotation = "com.openfaas.retry.min_wait";
    public const string MaxWaitAnnotation = "com.openfaas.retry.max_wait";

    public static readonly TimeSpan CacheTtl = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, (RetryPolicy Policy, DateTimeOffset Until)> _cache = new();

    public async ValueTask<RetryPolicy> GetAsync(string name, string @namespace, CancellationToken cancellationToken = default)
    {
        var key = $"{name}.{@namespace}";
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(key, out var cached) && cached.Until > now)
        {
            return cached.Policy;
        }

        var policy = options.Retry;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(LookupTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get,
                $"{gatewayOptions.ProviderPrefix}/system/function/{Uri.EscapeDataString(name)}?namespace={Uri.EscapeDataString(@namespace)}");
            request.Headers.Authorization = auth.ControllerAuthorization;
            using var response = await http.Client.SendAsync(request, timeout.Token).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.OK
                && await response.Content.ReadFromJsonAsync(FaasJsonContext.Default.FunctionStatus, timeout.Token).ConfigureAwait(false) is { Annotations: { } annotations })
            {
                policy = Apply(options.Retry, annotations);
            }
        }
        catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogLookupFailed(logger, key, ProviderClient.Reason(e));
        }

        _cache[key] = (policy, now + CacheTtl);
        return policy;
    }

    /// <summary>The policy with the valid annotations applied.</summary>
    public static RetryPolicy Apply(RetryPolicy defaults, IReadOnlyDictionary<string, string> annotations)
    {
        var attempts = annotations.TryGetValue(AttemptsAnnotation, out var a)
                       && int.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 100
            ? n
            : defaults.MaxAttempts;
        var codes = annotations.TryGetValue(CodesAnnotation, out var c) && RetryPolicy.TryParseCodes(c, out var parsed) ? parsed : defaults.Codes;
        var min = Duration(annotations, MinWaitAnnotation) ?? defaults.InitialWait;
        var max = Duration(annotations, MaxWaitAnnotation) ?? defaults.MaxWait;
        return new RetryPolicy(attempts, min, max < min ? min : max, codes);
    }

    private static TimeSpan? Duration(IReadOnlyDictionary<string, string> annotations, string key) =>
        annotations.TryGetValue(key, out var text) && GoDuration.TryParse(text, out var value) && value >= TimeSpan.Zero && value <= TimeSpan.FromHours(1)
            ? value
            : null;

    [LoggerMessage(EventId = 5501, Level = LogLevel.Debug, Message = "Could not read the retry annotations of {Function}: {Reason}; using the gateway's policy")]
    private static partial void LogLookupFailed(ILogger logger, string function, string reason);
}

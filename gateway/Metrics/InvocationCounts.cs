using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Faas.Contracts.Functions;
using Faas.Contracts.Json;
using Faas.Gateway.Auth;
using Faas.Gateway.Configuration;
using Faas.Gateway.Http;
using Faas.Gateway.Provider;
using Faas.Prometheus.Query;

namespace Faas.Gateway.Metrics;

/// <summary>
/// <c>GET /system/functions</c> when Prometheus is configured: the controller's list with each
/// entry's <c>invocationCount</c> filled from <c>gateway_function_invocation_total</c>, as the
/// OpenFaaS gateway does. A Prometheus failure is logged and the list is returned unchanged.
/// </summary>
public sealed partial class InvocationCounts(
    GatewayOptions options,
    UpstreamHttp http,
    BasicAuthenticator auth,
    PrometheusQueryClient prometheus,
    ILogger<InvocationCounts> logger)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The OpenFaaS query: every function of <paramref name="namespace"/>, summed over codes.</summary>
    public static string Query(string @namespace) =>
        $"sum(gateway_function_invocation_total{{function_name=~\".*\\\\.{@namespace}\"}}) by (function_name)";

    public async Task HandleAsync(HttpContext context)
    {
        var requested = context.Request.Query["namespace"].ToString();
        var ns = requested.Length > 0 ? requested : options.FunctionNamespace;

        List<FunctionStatus>? functions;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted))
        {
            timeout.CancelAfter(CallTimeout);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, options.ProviderPrefix + "/system/functions" + context.Request.QueryString) { Version = HttpVersion.Version11 };
                request.Headers.Authorization = auth.ControllerAuthorization;
                using var response = await http.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    // Pass the controller's answer through as the proxy would.
                    context.Response.StatusCode = (int)response.StatusCode;
                    if (response.Content.Headers.ContentType is { } type)
                    {
                        context.Response.ContentType = type.ToString();
                    }

                    await response.Content.CopyToAsync(context.Response.Body, timeout.Token).ConfigureAwait(false);
                    return;
                }

                functions = await response.Content.ReadFromJsonAsync(FaasJsonContext.Default.ListFunctionStatus, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or JsonException || (e is OperationCanceledException && !context.RequestAborted.IsCancellationRequested))
            {
                await GatewayErrors.WriteAsync(context, StatusCodes.Status502BadGateway,
                    $"the controller at {options.ProviderPrefix} is unreachable: {ProviderClient.Reason(e)}").ConfigureAwait(false);
                return;
            }
        }

        functions ??= [];
        var counts = await QueryCountsAsync(ns, context.RequestAborted).ConfigureAwait(false);
        if (counts is not null)
        {
            for (var i = 0; i < functions.Count; i++)
            {
                var f = functions[i];
                var qualified = $"{f.Name}.{(string.IsNullOrEmpty(f.Namespace) ? ns : f.Namespace)}";
                if (counts.TryGetValue(qualified, out var count))
                {
                    functions[i] = f with { InvocationCount = count };
                }
            }
        }

        await context.Response.WriteAsJsonAsync(functions, FaasJsonContext.Default.ListFunctionStatus, cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }

    private async Task<Dictionary<string, double>?> QueryCountsAsync(string ns, CancellationToken cancellationToken)
    {
        try
        {
            var result = await prometheus.QueryAsync(Query(ns), cancellationToken: cancellationToken).ConfigureAwait(false);
            var counts = new Dictionary<string, double>(StringComparer.Ordinal);
            if (result is InstantVector vector)
            {
                foreach (var sample in vector.Samples)
                {
                    if (sample.Labels.TryGetValue(GatewayMetrics.FunctionNameLabel, out var name) && double.IsFinite(sample.Value))
                    {
                        counts[name] = sample.Value;
                    }
                }
            }

            return counts;
        }
        catch (PrometheusQueryException e)
        {
            LogQueryFailed(logger, ns, e.Message);
            return null;
        }
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "Querying Prometheus for invocation counts in {Namespace} failed; listing without them: {Error}")]
    private static partial void LogQueryFailed(ILogger logger, string @namespace, string error);
}

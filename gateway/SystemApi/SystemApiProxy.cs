using Faas.Gateway.Auth;
using Faas.Gateway.Configuration;
using Faas.Gateway.Http;
using Faas.Gateway.Provider;
using Yarp.ReverseProxy.Forwarder;

namespace Faas.Gateway.SystemApi;

/// <summary>Injects the gateway's basic-auth credentials on calls forwarded to the controller.</summary>
public sealed class SystemApiTransformer(BasicAuthenticator auth) : GatewayTransformer
{
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        if (auth.ControllerAuthorization is { } authorization)
        {
            proxyRequest.Headers.Authorization = authorization;
        }
    }
}

/// <summary>
/// Forwards <c>/system/*</c> verbatim (method, path, query, headers, body) to the controller, as the
/// OpenFaaS gateway does, streaming both ways so <c>/system/logs</c> flows line by line.
/// </summary>
public sealed partial class SystemApiProxy(
    GatewayOptions options,
    IHttpForwarder forwarder,
    UpstreamHttp http,
    SystemApiTransformer transformer,
    ILogger<SystemApiProxy> logger)
{
    /// <summary>Followed logs may stay quiet for a long time; only the client ends them.</summary>
    private static readonly TimeSpan LogsActivityTimeout = TimeSpan.FromHours(24);
    private static readonly PathString LogsPath = new("/system/logs");

    private readonly string _prefix = options.ProviderPrefix;

    private readonly ForwarderRequestConfig _config = new()
    {
        ActivityTimeout = options.UpstreamTimeout,
        Version = System.Net.HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
    };

    private readonly ForwarderRequestConfig _logsConfig = new()
    {
        ActivityTimeout = LogsActivityTimeout,
        Version = System.Net.HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
    };

    public async Task ForwardAsync(HttpContext context)
    {
        var config = context.Request.Path.StartsWithSegments(LogsPath) ? _logsConfig : _config;
        var error = await forwarder.SendAsync(context, _prefix, http.Invoker, config, transformer).ConfigureAwait(false);
        if (error == ForwarderError.None)
        {
            return;
        }

        var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        if (context.RequestAborted.IsCancellationRequested
            || error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled)
        {
            LogClientCanceled(logger, context.Request.Method, context.Request.Path, error);
            return;
        }

        LogForwardFailed(logger, context.Request.Method, context.Request.Path, _prefix, error, exception);
        if (context.Response.HasStarted)
        {
            return;
        }

        if (GatewayErrors.FindTooLarge(exception) is not null)
        {
            await GatewayErrors.WriteAsync(context, StatusCodes.Status413PayloadTooLarge,
                $"request body is larger than the gateway's limit of {options.MaxRequestBody} bytes (max_request_body)").ConfigureAwait(false);
            return;
        }

        var (status, message) = error switch
        {
            ForwarderError.RequestTimedOut =>
                (StatusCodes.Status504GatewayTimeout, $"the controller at {_prefix} did not answer within {GatewayErrors.Format(config.ActivityTimeout!.Value)}"),
            ForwarderError.RequestBodyClient =>
                (StatusCodes.Status400BadRequest, $"reading the request body failed: {ProviderClient.Reason(exception!)}"),
            _ => (StatusCodes.Status502BadGateway, exception is null
                ? $"the controller at {_prefix} is unreachable"
                : $"the controller at {_prefix} is unreachable: {ProviderClient.Reason(exception)}"),
        };
        await GatewayErrors.WriteAsync(context, status, message).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Debug, Message = "Client canceled {Method} {Path} ({Error})")]
    private static partial void LogClientCanceled(ILogger logger, string method, PathString path, ForwarderError error);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Forwarding {Method} {Path} to the controller at {Controller} failed ({Error})")]
    private static partial void LogForwardFailed(ILogger logger, string method, PathString path, string controller, ForwarderError error, Exception? exception);
}

using Microsoft.Net.Http.Headers;

namespace Faas.Gateway.Auth;

/// <summary>Guards every <c>/system/*</c> route with basic auth, as the OpenFaaS gateway does.</summary>
public sealed partial class BasicAuthMiddleware(RequestDelegate next, BasicAuthenticator authenticator, ILogger<BasicAuthMiddleware> logger)
{
    private static readonly PathString System = new("/system");

    public Task InvokeAsync(HttpContext context)
    {
        if (!authenticator.Enabled
            || !context.Request.Path.StartsWithSegments(System)
            || authenticator.IsAuthorized(context.Request.Headers.Authorization))
        {
            return next(context);
        }

        LogRejected(logger, context.Request.Method, context.Request.Path);
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers[HeaderNames.WWWAuthenticate] = "Basic realm=\"Restricted\"";
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync("invalid credentials", context.RequestAborted);
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Rejected {Method} {Path}: invalid credentials")]
    private static partial void LogRejected(ILogger logger, string method, PathString path);
}

public static class BasicAuthExtensions
{
    public static IServiceCollection AddBasicAuth(this IServiceCollection services) =>
        services.AddSingleton<BasicAuthenticator>();

    public static IApplicationBuilder UseBasicAuth(this IApplicationBuilder app) =>
        app.UseMiddleware<BasicAuthMiddleware>();
}

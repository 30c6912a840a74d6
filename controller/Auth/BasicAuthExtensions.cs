using Faas.Controller.Configuration;

namespace Faas.Controller.Auth;

public static partial class BasicAuthExtensions
{
    public const string Realm = "Basic realm=\"Restricted\"";
    public const string FailureBody = "invalid credentials";

    /// <summary>Reads the credentials at start-up when <c>basic_auth=true</c>.</summary>
    public static WebApplicationBuilder AddBasicAuth(this WebApplicationBuilder builder)
    {
        var options = builder.GetControllerOptions();
        if (options.BasicAuth)
        {
            builder.Services.AddSingleton(BasicAuthCredentials.Read(options.SecretMountPath));
        }

        return builder;
    }

    /// <summary>Every route but <c>GET /healthz</c> and <c>GET /metrics</c> (CPU counters for Prometheus) needs the credentials (OpenFaaS answer on failure).</summary>
    public static WebApplication UseBasicAuth(this WebApplication app)
    {
        var credentials = app.Services.GetService<BasicAuthCredentials>();
        if (credentials is null)
        {
            return app;
        }

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Faas.Controller.Auth");
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            if ((HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && (request.Path.Equals("/healthz", StringComparison.Ordinal) || request.Path.Equals("/metrics", StringComparison.Ordinal)))
            {
                await next(context);
                return;
            }

            if (credentials.Matches(request.Headers.Authorization))
            {
                await next(context);
                return;
            }

            Log.Rejected(logger, request.Method, request.Path);
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = Realm;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(FailureBody, context.RequestAborted);
        });
        return app;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 300, Level = LogLevel.Debug, Message = "Rejected {Method} {Path}: invalid or missing basic auth credentials")]
        public static partial void Rejected(ILogger logger, string method, PathString path);
    }
}

namespace Faas.Controller.Backends;

public static class BackendErrors
{
    /// <summary>
    /// Answers a <see cref="BackendException"/> escaping any endpoint (secret store, logs, namespace
    /// checks) with its status and message, e.g. 503 while the orchestrator is unreachable, not a 500.
    /// </summary>
    public static WebApplication UseBackendErrors(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (BackendException e) when (!context.Response.HasStarted)
            {
                context.Response.Clear();
                context.Response.StatusCode = e.Result.Status switch
                {
                    BackendStatus.NotFound => StatusCodes.Status404NotFound,
                    BackendStatus.Conflict => StatusCodes.Status409Conflict,
                    BackendStatus.Unavailable => StatusCodes.Status503ServiceUnavailable,
                    BackendStatus.Forbidden => StatusCodes.Status403Forbidden,
                    _ => StatusCodes.Status400BadRequest,
                };
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync(e.Result.Message, context.RequestAborted);
            }
        });
        return app;
    }
}

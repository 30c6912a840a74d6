namespace Faas.Gateway.Health;

public static class HealthExtensions
{
    /// <summary><c>/healthz</c>: 200 <c>OK</c>, no auth.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/healthz", [HttpMethods.Get, HttpMethods.Head], (RequestDelegate)(context =>
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.WriteAsync("OK");
        }));
        return app;
    }
}

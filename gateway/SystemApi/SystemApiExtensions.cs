using Faas.Gateway.Provider;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Faas.Gateway.SystemApi;

public static class SystemApiExtensions
{
    public static IServiceCollection AddSystemApi(this IServiceCollection services)
    {
        services.AddHttpForwarder();
        services.TryAddSingleton<UpstreamHttp>();
        services.TryAddSingleton<ProviderClient>();
        services.AddSingleton<SystemApiTransformer>();
        services.AddSingleton<SystemApiProxy>();
        services.AddSingleton<SystemInfo>();
        return services;
    }

    /// <summary>
    /// <c>GET /system/info</c> is answered here; every other <c>/system/*</c> call goes to the
    /// controller unchanged. Basic auth is checked by <c>UseBasicAuth</c> before these run.
    /// </summary>
    public static IEndpointRouteBuilder MapSystemApi(this IEndpointRouteBuilder app)
    {
        var info = app.ServiceProvider.GetRequiredService<SystemInfo>();
        var proxy = app.ServiceProvider.GetRequiredService<SystemApiProxy>();
        app.MapGet("/system/info", (RequestDelegate)info.HandleAsync);
        app.Map("/system/{**rest}", (RequestDelegate)proxy.ForwardAsync);
        return app;
    }
}

using Faas.Gateway.Provider;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Faas.Gateway.Invoke;

public static class InvokeExtensions
{
    /// <summary>The forwarder, the shared connection pool, the lookup cache and the invoke handler.</summary>
    public static IServiceCollection AddInvoke(this IServiceCollection services)
    {
        services.AddHttpForwarder();
        services.TryAddSingleton<UpstreamHttp>();
        services.TryAddSingleton<ProviderClient>();
        services.AddSingleton<FunctionLookup>();
        services.AddSingleton<ScaleFromZero>();
        services.AddSingleton<HeldRequests>();
        services.AddSingleton<InvokeTransformer>();
        services.AddSingleton<InvokeHandler>();
        return services;
    }

    /// <summary><c>/function/{name}</c> and <c>/function/{name}/{**path}</c> for every method.</summary>
    public static IEndpointRouteBuilder MapInvoke(this IEndpointRouteBuilder app)
    {
        var handler = app.ServiceProvider.GetRequiredService<InvokeHandler>();
        RequestDelegate invoke = handler.InvokeAsync;
        app.Map($"/function/{{{InvokeHandler.NameRouteKey}}}", invoke);
        app.Map($"/function/{{{InvokeHandler.NameRouteKey}}}/{{**path}}", invoke);
        return app;
    }
}

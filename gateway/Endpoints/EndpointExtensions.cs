using Faas.Gateway.Provider;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Faas.Gateway.Endpoints;

public static class EndpointExtensions
{
    /// <summary>The routing table and the background subscription that feeds it from the controller.</summary>
    public static IServiceCollection AddEndpointTable(this IServiceCollection services)
    {
        services.TryAddSingleton<UpstreamHttp>();
        services.TryAddSingleton<ProviderClient>();
        services.TryAddSingleton(new EndpointStreamSettings());
        services.AddSingleton<EndpointTable>();
        services.AddHostedService<EndpointSubscriber>();
        return services;
    }
}

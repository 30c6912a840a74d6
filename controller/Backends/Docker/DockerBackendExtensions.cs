using Faas.Docker;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Faas.Controller.Backends.Docker;

public static class DockerBackendExtensions
{
    /// <summary>The Docker backend: containers on a bridge network, state in container labels (docs/internals.md).</summary>
    public static IServiceCollection AddDockerBackend(this IServiceCollection services, IConfiguration configuration)
    {
        var options = DockerBackendOptions.Load(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(options);
        services.TryAddSingleton(sp => new DockerClient(new DockerClientOptions { Endpoint = options.Endpoint, RequestTimeout = TimeSpan.FromSeconds(30) }));
        services.AddSingleton<DockerBackend>();
        services.AddSingleton<IFunctionBackend>(sp => sp.GetRequiredService<DockerBackend>());
        services.AddSingleton<Secrets.ISecretDelivery>(sp => sp.GetRequiredService<DockerBackend>());
        services.AddHostedService<DockerReconciler>();
        services.AddHostedService<DockerEventWatcher>();
        return services;
    }
}

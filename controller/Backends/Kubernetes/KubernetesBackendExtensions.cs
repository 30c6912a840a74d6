using Faas.Controller.Configuration;
using Faas.Controller.Namespaces;
using Faas.Controller.Secrets;
using Faas.Kubernetes;

namespace Faas.Controller.Backends.Kubernetes;

public static class KubernetesBackendExtensions
{
    /// <summary>The Kubernetes backend: Deployments + Services, Secrets, pod watch (docs/internals.md).</summary>
    public static IServiceCollection AddKubernetesBackend(this IServiceCollection services, IConfiguration configuration, ControllerOptions controllerOptions)
    {
        var options = KubernetesBackendOptions.Load(configuration, controllerOptions);
        services.AddSingleton(options);
        services.AddSingleton(sp => new KubernetesClient(options.Client, sp.GetRequiredService<ILogger<KubernetesClient>>()));
        services.AddSingleton<KubernetesEndpointWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<KubernetesEndpointWatcher>());
        services.AddSingleton<KubernetesBackend>();
        services.AddSingleton<IFunctionBackend>(sp => sp.GetRequiredService<KubernetesBackend>());

        // Registered after the file-backed defaults, so these win: the API server is the only state.
        services.AddSingleton<ISecretStore>(sp => new KubernetesSecretStore(sp.GetRequiredService<KubernetesClient>()));
        if (options.NamespaceMode == KubernetesNamespaceMode.Annotation)
        {
            services.AddSingleton<AnnotatedNamespaceStore>();
            services.AddSingleton<INamespaceStore>(sp => sp.GetRequiredService<AnnotatedNamespaceStore>());
            services.AddHostedService(sp => sp.GetRequiredService<AnnotatedNamespaceStore>());
        }
        else
        {
            services.AddSingleton<ConfiguredNamespaceStore>();
            services.AddSingleton<INamespaceStore>(sp => sp.GetRequiredService<ConfiguredNamespaceStore>());
            services.AddHostedService(sp => sp.GetRequiredService<ConfiguredNamespaceStore>());
        }


        return services;
    }
}

using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Faas.Controller.Backends.Process;

public static class ProcessBackendExtensions
{
    /// <summary>The process backend with the real launcher and probe; tests replace those two seams.</summary>
    public static IServiceCollection AddProcessBackend(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new ProcessBackendTimings());
        services.TryAddSingleton<IReplicaLauncher, ProcessReplicaLauncher>();
        services.TryAddSingleton<IReplicaProbe, HttpReplicaProbe>();
        services.AddSingleton<ProcessBackend>();
        services.AddSingleton<IFunctionBackend>(sp => sp.GetRequiredService<ProcessBackend>());
        services.AddSingleton<Secrets.ISecretDelivery>(sp => sp.GetRequiredService<ProcessBackend>());
        services.AddHostedService<ProcessReconciler>();
        return services;
    }
}

using Faas.Controller.Backends.Docker;
using Faas.Controller.Backends.Kubernetes;
using Faas.Controller.Backends.Process;
using Faas.Controller.Configuration;

namespace Faas.Controller.Backends;

public static class BackendExtensions
{
    /// <summary>Registers the backend named by <c>backend</c> (validated at start-up).</summary>
    public static WebApplicationBuilder AddFunctionBackend(this WebApplicationBuilder builder)
    {
        var options = builder.GetControllerOptions();
        switch (options.Backend)
        {
            case ControllerOptions.ProcessBackend:
                builder.Services.AddProcessBackend();
                break;
            case ControllerOptions.DockerBackend:
                builder.Services.AddDockerBackend(builder.Configuration);
                break;
            case ControllerOptions.KubernetesBackend:
                builder.Services.AddKubernetesBackend(builder.Configuration, options);
                break;
            default:
                throw new ControllerOptionsException([$"backend '{options.Backend}' is not supported: supported backends are {string.Join(", ", ControllerOptions.SupportedBackends)}"]);
        }

        return builder;
    }
}

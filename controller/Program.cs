using Faas.Controller.Auth;
using Faas.Controller.Autoscaling;
using Faas.Controller.Backends;
using Faas.Controller.Configuration;
using Faas.Controller.Endpoints;
using Faas.Controller.Logs;
using Faas.Controller.Namespaces;
using Faas.Controller.Secrets;
using Faas.Controller.SystemApi;

try
{
    await Program.Build(args).RunAsync();
    return 0;
}
catch (ControllerOptionsException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

/// <summary>The controller: the OpenFaaS provider API over one backend (docs/internals.md).</summary>
public partial class Program
{
    /// <summary>Builds the app; tests pass <c>--key=value</c> arguments and replace services in <paramref name="overrides"/>.</summary>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddQuietDefaults();
        builder.AddControllerOptions();
        builder.AddBasicAuth();
        builder.AddNamespaces();
        builder.AddSecrets();
        builder.AddFunctionBackend();
        builder.AddProviderApi();
        builder.AddEndpointStream();
        builder.AddAutoscaling();
        overrides?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseBasicAuth();
        app.UseBackendErrors();
        app.MapSystemInfo();
        app.MapProviderApi();
        app.MapSecretsApi();
        app.MapNamespacesApi();
        app.MapLogsApi();
        app.MapEndpointStream();
        app.MapFunctionCpuMetrics();
        return app;
    }
}

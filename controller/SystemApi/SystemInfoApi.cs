using System.Reflection;
using Faas.Contracts.Json;
using Faas.Contracts.System;
using Faas.Controller.Backends;

namespace Faas.Controller.SystemApi;

/// <summary><c>/healthz</c> and <c>/system/info</c>.</summary>
public static class SystemInfoApi
{
    public const string ProviderName = "faas-controller";

    public static WebApplication MapSystemInfo(this WebApplication app)
    {
        app.MapMethods("/healthz", [HttpMethods.Get, HttpMethods.Head], () => Results.Ok());

        var info = new ProviderInfo
        {
            Provider = ProviderName,
            Orchestration = app.Services.GetRequiredService<IFunctionBackend>().Orchestration,
            Version = ReadVersion(),
        };
        app.MapGet("/system/info", () => Results.Json(info, FaasJsonContext.Default.ProviderInfo));

        return app;
    }

    /// <summary>The assembly's informational version, <c>0.1.0+sha</c>, split into release and sha.</summary>
    private static VersionInfo ReadVersion()
    {
        var version = typeof(SystemInfoApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(SystemInfoApi).Assembly.GetName().Version?.ToString(3)
            ?? "0.0.0";
        var plus = version.IndexOf('+');
        return new VersionInfo
        {
            Release = plus < 0 ? version : version[..plus],
            Sha = plus < 0 ? "" : version[(plus + 1)..],
        };
    }
}

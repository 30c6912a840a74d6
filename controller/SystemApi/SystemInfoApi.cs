using System.Reflection;
using Faas.Contracts.Json;
using Faas.Contracts.System;
using Faas.Controller.Backends;
using Faas.Controller.Configuration;

namespace Faas.Controller.SystemApi;

/// <summary><c>/healthz</c>, <c>/system/info</c>, <c>/system/namespaces</c>, and the routes of later issues (501).</summary>
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

        app.MapGet("/system/namespaces", (NamespacePolicy namespaces) =>
            Results.Json(new List<string> { namespaces.Default }, FaasJsonContext.Default.ListString));

        app.MapMethods("/system/secrets", [HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete], () =>
            Results.Text("secrets are not supported yet", "text/plain", statusCode: StatusCodes.Status501NotImplemented));

        app.MapMethods("/system/namespace/{**name}", [HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete], () =>
            Results.Text("Feature not implemented in this version of OpenFaaS", "text/plain", statusCode: StatusCodes.Status501NotImplemented));
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

using System.Reflection;
using System.Runtime.InteropServices;
using Faas.Contracts.Json;
using Faas.Contracts.System;
using Faas.Gateway.Http;
using Faas.Gateway.Provider;

namespace Faas.Gateway.SystemApi;

/// <summary><c>GET /system/info</c>: the controller's <see cref="ProviderInfo"/> wrapped with the gateway's version and arch.</summary>
public sealed partial class SystemInfo(ProviderClient provider, ILogger<SystemInfo> logger)
{
    public static readonly VersionInfo GatewayVersion = ReadVersion();

    /// <summary>The architecture as OpenFaaS reports it (<c>uname -m</c> style).</summary>
    public static readonly string Arch = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => "x86_64",
        Architecture.Arm64 => "aarch64",
        Architecture.X86 => "i386",
        Architecture.Arm => "armv7l",
        var other => other.ToString().ToLowerInvariant(),
    };

    public async Task HandleAsync(HttpContext context)
    {
        var result = await provider.GetInfoAsync(context.RequestAborted).ConfigureAwait(false);
        if (result.Value is not { } providerInfo)
        {
            LogInfoFailed(logger, result.Error ?? "");
            await GatewayErrors.WriteAsync(context, StatusCodes.Status502BadGateway, result.Error ?? provider.Unreachable(null)).ConfigureAwait(false);
            return;
        }

        var info = new GatewayInfo { Provider = providerInfo, Version = GatewayVersion, Arch = Arch };
        await context.Response.WriteAsJsonAsync(info, FaasJsonContext.Default.GatewayInfo, cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }

    private static VersionInfo ReadVersion()
    {
        var informational = typeof(SystemInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+');
        return plus < 0
            ? new VersionInfo { Release = informational, Sha = "" }
            : new VersionInfo { Release = informational[..plus], Sha = informational[(plus + 1)..] };
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Warning, Message = "GET /system/info failed at the controller: {Error}")]
    private static partial void LogInfoFailed(ILogger logger, string error);
}

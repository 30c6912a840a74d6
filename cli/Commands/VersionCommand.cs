using System.CommandLine;
using System.Reflection;

namespace Faas.Cli.Commands;

/// <summary><c>faas-cli version</c>: the CLI's version and, when the gateway answers, GET /system/info.</summary>
public sealed class VersionCommand : BaseCommand
{
    private static readonly Option<bool> ShortOption = new("--short-version") { Description = "Print only the CLI version" };

    public VersionCommand(CliContext context)
        : base("version", "Print the CLI and gateway versions", context)
    {
        Options.Add(ShortOption);
        CommonOptions.AddGatewayOptions(this);
        Options.Add(CommonOptions.Yaml);
        Options.Add(CommonOptions.Envsubst);
    }

    /// <summary>The informational version without the source-link commit suffix, and that commit.</summary>
    public static (string Version, string? Commit) CliVersion()
    {
        var informational = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? (informational, null) : (informational[..plus], informational[(plus + 1)..]);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var (version, commit) = CliVersion();
        if (parseResult.GetValue(ShortOption))
        {
            await Out.WriteLineAsync(version);
            return ExitCodes.Success;
        }

        await Out.WriteLineAsync("CLI:");
        await Out.WriteLineAsync($" commit:  {commit ?? "unknown"}");
        await Out.WriteLineAsync($" version: {version}");

        var gateway = ResolveGateway(parseResult);
        try
        {
            using var client = CreateClient(parseResult, gateway, TimeSpan.FromSeconds(5));
            var info = await client.GetInfoAsync(cancellationToken);
            await Out.WriteLineAsync();
            await Out.WriteLineAsync("Gateway");
            await Out.WriteLineAsync($" uri:     {client.Gateway}");
            await Out.WriteLineAsync($" version: {info.Version?.Release}");
            await Out.WriteLineAsync($" sha:     {info.Version?.Sha}");
            await Out.WriteLineAsync();
            await Out.WriteLineAsync("Provider");
            await Out.WriteLineAsync($" name:          {info.Provider?.Provider}");
            await Out.WriteLineAsync($" orchestration: {info.Provider?.Orchestration}");
            await Out.WriteLineAsync($" version:       {info.Provider?.Version?.Release}");
            await Out.WriteLineAsync($" sha:           {info.Provider?.Version?.Sha}");
        }
        catch (GatewayException ex)
        {
            // The CLI version is still useful without a gateway.
            await Err.WriteLineAsync($"Gateway {gateway}: {ex.Message}");
        }

        return ExitCodes.Success;
    }
}

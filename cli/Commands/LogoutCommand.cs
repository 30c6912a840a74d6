using System.CommandLine;
using Faas.Cli.Config;

namespace Faas.Cli.Commands;

/// <summary><c>faas-cli logout</c>: forgets the stored credentials of a gateway.</summary>
public sealed class LogoutCommand : BaseCommand
{
    public LogoutCommand(CliContext context)
        : base("logout", "Remove the stored credentials of a gateway", context)
    {
        Options.Add(CommonOptions.Gateway);
    }

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var gateway = GatewayUrl.Resolve(parseResult.GetValue(CommonOptions.Gateway), Context, null);
        var path = ConfigFile.PathFor(Context);
        var config = ConfigFile.Load(path);
        if (!config.Remove(gateway))
        {
            throw new CommandFailedException($"gateway {gateway} not found in config {path}");
        }

        config.Save(path);
        Out.WriteLine($"credentials removed for {gateway}");
        return Task.FromResult(ExitCodes.Success);
    }
}

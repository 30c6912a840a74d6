using System.CommandLine;
using System.Net;

namespace Faas.Cli.Commands;

/// <summary><c>faas-cli secret remove NAME</c> (<c>rm</c>): DELETE /system/secrets; refused (409) while a function lists it.</summary>
public sealed class SecretRemoveCommand : BaseCommand
{
    private static readonly Argument<string> NameArgument = new("NAME") { Description = "Name of the secret" };

    public SecretRemoveCommand(CliContext context)
        : base("remove", "Remove a secret (refused while a function uses it)", context)
    {
        Aliases.Add("rm");
        Arguments.Add(NameArgument);
        Options.Add(CommonOptions.Namespace);
        CommonOptions.AddGatewayOptions(this);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var name = parseResult.GetValue(NameArgument)!;
        var ns = parseResult.GetValue(CommonOptions.Namespace);
        using var client = CreateClient(parseResult, ResolveGateway(parseResult, readStack: false));
        var status = await client.DeleteSecretAsync(name, string.IsNullOrWhiteSpace(ns) ? null : ns, cancellationToken);
        if (status == HttpStatusCode.NotFound)
        {
            await Err.WriteLineAsync($"secret not found: {Qualify(name, ns)}");
            return ExitCodes.Failure;
        }

        await Out.WriteLineAsync($"Removed: {(int)status} {status}");
        return ExitCodes.Success;
    }
}

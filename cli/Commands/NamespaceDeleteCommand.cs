using System.CommandLine;
using System.Net;

namespace Faas.Cli.Commands;

/// <summary><c>faas-cli namespace delete NAME</c> (<c>remove</c>, <c>rm</c>): refused while it holds functions or secrets.</summary>
public sealed class NamespaceDeleteCommand : BaseCommand
{
    private static readonly Argument<string> NameArgument = new("NAME") { Description = "Name of the namespace" };

    public NamespaceDeleteCommand(CliContext context)
        : base("delete", "Delete a function namespace (refused while it holds functions or secrets)", context)
    {
        Aliases.Add("remove");
        Aliases.Add("rm");
        Arguments.Add(NameArgument);
        CommonOptions.AddGatewayOptions(this);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var name = parseResult.GetValue(NameArgument)!;
        using var client = CreateClient(parseResult, ResolveGateway(parseResult, readStack: false));
        var status = await client.DeleteNamespaceAsync(name, cancellationToken);
        if (status == HttpStatusCode.NotFound)
        {
            await Err.WriteLineAsync($"namespace not found: {name}");
            return ExitCodes.Failure;
        }

        await Out.WriteLineAsync($"Deleted namespace: {name}");
        return ExitCodes.Success;
    }
}

using System.CommandLine;
using System.Text.Json;

namespace Faas.Cli.Commands;

/// <summary><c>faas-cli namespace list</c> (<c>ls</c>): GET /system/namespaces.</summary>
public sealed class NamespaceListCommand : BaseCommand
{
    public NamespaceListCommand(CliContext context)
        : base("list", "List the function namespaces", context)
    {
        Aliases.Add("ls");
        OutputFormat.AddTo(this);
        CommonOptions.AddGatewayOptions(this);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var json = OutputFormat.IsJson(parseResult);
        using var client = CreateClient(parseResult, ResolveGateway(parseResult, readStack: false));
        var namespaces = (await client.ListNamespacesAsync(cancellationToken)).ToList();
        if (json)
        {
            await Out.WriteLineAsync(JsonSerializer.Serialize(namespaces, OutputFormat.Indented.ListString));
            return ExitCodes.Success;
        }

        await Out.WriteLineAsync("Namespaces:");
        foreach (var ns in namespaces)
        {
            await Out.WriteLineAsync(" - " + ns);
        }

        return ExitCodes.Success;
    }
}

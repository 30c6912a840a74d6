using System.CommandLine;
using System.Text.Json;

namespace Faas.Cli.Commands;

/// <summary><c>faas-cli secret list</c> (<c>ls</c>): the names of the namespace's secrets (values are never returned).</summary>
public sealed class SecretListCommand : BaseCommand
{
    public SecretListCommand(CliContext context)
        : base("list", "List secret names (values are never shown)", context)
    {
        Aliases.Add("ls");
        Options.Add(CommonOptions.Namespace);
        OutputFormat.AddTo(this);
        CommonOptions.AddGatewayOptions(this);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var json = OutputFormat.IsJson(parseResult);
        using var client = CreateClient(parseResult, ResolveGateway(parseResult, readStack: false));
        var secrets = (await client.ListSecretsAsync(parseResult.GetValue(CommonOptions.Namespace), cancellationToken))
            .OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        if (json)
        {
            await Out.WriteLineAsync(JsonSerializer.Serialize(secrets, OutputFormat.Indented.ListSecret));
            return ExitCodes.Success;
        }

        if (secrets.Count == 0)
        {
            await Out.WriteLineAsync("No secrets found.");
            return ExitCodes.Success;
        }

        var width = Math.Max(30, secrets.Max(s => s.Name.Length) + 1);
        await Out.WriteLineAsync($"{"NAME".PadRight(width)}NAMESPACE");
        foreach (var secret in secrets)
        {
            await Out.WriteLineAsync($"{secret.Name.PadRight(width)}{secret.Namespace}");
        }

        return ExitCodes.Success;
    }
}

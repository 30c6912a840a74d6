using System.CommandLine;
using System.Text.Json.Nodes;

namespace Faas.Cli.Commands;

/// <summary><c>faas-cli async dead-letters</c>: GET /system/async/dead-letters as a table or JSON.</summary>
public sealed class AsyncDeadLettersCommand : BaseCommand
{
    public AsyncDeadLettersCommand(CliContext context)
        : base("dead-letters", "List asynchronous calls that ran out of attempts", context)
    {
        OutputFormat.AddTo(this);
        CommonOptions.AddGatewayOptions(this);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        using var client = CreateClient(parseResult, ResolveGateway(parseResult, readStack: false));
        var json = await client.ListDeadLettersAsync(cancellationToken);
        if (OutputFormat.IsJson(parseResult))
        {
            await Out.WriteLineAsync(json.Trim());
            return ExitCodes.Success;
        }

        var letters = JsonNode.Parse(json) as JsonArray ?? throw new CommandFailedException($"The gateway answered a list that is not a JSON array: {json}");
        await Out.WriteLineAsync($"{"Call ID",-38}{"Function",-28}{"Attempts",-10}{"Status",-8}Error");
        foreach (var letter in letters.OfType<JsonObject>())
        {
            var failure = letter["failure"] as JsonObject;
            await Out.WriteLineAsync(
                $"{letter["callId"],-38}{letter["function"],-28}{failure?["attempts"],-10}{failure?["statusCode"]?.ToString() ?? "-",-8}{failure?["error"]}");
        }

        return ExitCodes.Success;
    }
}

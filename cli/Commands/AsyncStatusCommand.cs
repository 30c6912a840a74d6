using System.CommandLine;
using System.Text.Json.Nodes;

namespace Faas.Cli.Commands;

/// <summary><c>faas-cli async status CALL_ID</c>: GET /async-function/CALL_ID as a table or JSON.</summary>
public sealed class AsyncStatusCommand : BaseCommand
{
    private static readonly Argument<string> CallIdArgument = new("CALL_ID") { Description = "The X-Call-Id printed by 'faas-cli invoke --async'" };

    private static readonly string[] Fields =
        ["callId", "function", "status", "attempts", "lastStatusCode", "error", "callbackError", "enqueuedAt", "startedAt", "finishedAt"];

    public AsyncStatusCommand(CliContext context)
        : base("status", "Show the status of an asynchronous call", context)
    {
        Arguments.Add(CallIdArgument);
        OutputFormat.AddTo(this);
        CommonOptions.AddGatewayOptions(this);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var callId = parseResult.GetValue(CallIdArgument)!;
        using var client = CreateClient(parseResult, ResolveGateway(parseResult, readStack: false));
        var json = await client.GetCallStatusAsync(callId, cancellationToken)
            ?? throw new CommandFailedException($"No such call: {callId} (unknown, or its status expired)");
        if (OutputFormat.IsJson(parseResult))
        {
            await Out.WriteLineAsync(json.Trim());
            return ExitCodes.Success;
        }

        var node = JsonNode.Parse(json) as JsonObject ?? throw new CommandFailedException($"The gateway answered a status that is not a JSON object: {json}");
        foreach (var field in Fields)
        {
            if (node[field] is { } value)
            {
                await Out.WriteLineAsync($"{field + ":",-16}{(value is JsonValue ? value.ToString() : value.ToJsonString())}");
            }
        }

        return ExitCodes.Success;
    }
}

using System.CommandLine;
using System.Text.Json.Nodes;

namespace Faas.Cli.Commands;

/// <summary>
/// <c>faas-cli async redrive CALL_ID | --all</c>: POST /system/async/dead-letters/{id|all}/redrive,
/// which queues the calls again and removes them from the dead letters.
/// </summary>
public sealed class AsyncRedriveCommand : BaseCommand
{
    private static readonly Argument<string?> CallIdArgument = new("CALL_ID")
    {
        Description = "The dead-lettered call to queue again",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private static readonly Option<bool> AllOption = new("--all") { Description = "Queue every dead-lettered call again" };

    public AsyncRedriveCommand(CliContext context)
        : base("redrive", "Queue dead-lettered asynchronous calls again", context)
    {
        Arguments.Add(CallIdArgument);
        Options.Add(AllOption);
        CommonOptions.AddGatewayOptions(this);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var callId = parseResult.GetValue(CallIdArgument);
        var all = parseResult.GetValue(AllOption);
        if (all == (callId is not null))
        {
            throw new UsageException("give either a CALL_ID or --all");
        }

        using var client = CreateClient(parseResult, ResolveGateway(parseResult, readStack: false));
        var json = await client.RedriveAsync(all ? "all" : callId!, cancellationToken)
            ?? throw new CommandFailedException($"No such dead letter: {callId}");
        var redriven = (JsonNode.Parse(json)?["redriven"] as JsonArray)?.Select(n => n?.ToString()).ToList() ?? [];
        foreach (var id in redriven)
        {
            await Out.WriteLineAsync($"Queued {id} again.");
        }

        await Out.WriteLineAsync($"{redriven.Count} call(s) redriven.");
        return ExitCodes.Success;
    }
}

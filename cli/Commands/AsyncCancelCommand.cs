using System.CommandLine;

namespace Faas.Cli.Commands;

/// <summary><c>faas-cli async cancel CALL_ID</c>: DELETE /async-function/CALL_ID, so a queued call never runs.</summary>
public sealed class AsyncCancelCommand : BaseCommand
{
    private static readonly Argument<string> CallIdArgument = new("CALL_ID") { Description = "The X-Call-Id of a call that is still queued" };

    public AsyncCancelCommand(CliContext context)
        : base("cancel", "Cancel an asynchronous call that has not started yet", context)
    {
        Arguments.Add(CallIdArgument);
        OutputFormat.AddTo(this);
        CommonOptions.AddGatewayOptions(this);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var callId = parseResult.GetValue(CallIdArgument)!;
        using var client = CreateClient(parseResult, ResolveGateway(parseResult, readStack: false));
        var json = await client.CancelCallAsync(callId, cancellationToken)
            ?? throw new CommandFailedException($"No such call: {callId} (unknown, or its status expired)");
        await Out.WriteLineAsync(OutputFormat.IsJson(parseResult) ? json.Trim() : $"Cancelled {callId}: it will not run.");
        return ExitCodes.Success;
    }
}

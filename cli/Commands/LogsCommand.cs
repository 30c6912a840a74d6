using System.CommandLine;
using System.Globalization;
using Faas.Cli.Gateway;
using Faas.Cli.Logs;
using Faas.Contracts.Time;

namespace Faas.Cli.Commands;

/// <summary>
/// <c>faas-cli logs NAME</c>: streams <c>GET /system/logs</c> (NDJSON) and prints each line as it
/// arrives; follows by default (<c>--tail=false</c> prints what is there and exits).
/// </summary>
public sealed class LogsCommand : BaseCommand
{
    private static readonly Argument<string> NameArgument = new("NAME") { Description = "Function whose logs to show" };

    private static readonly Option<string?> SinceOption = new("--since") { Description = "Only logs newer than this duration, e.g. 5m, 1h" };

    private static readonly Option<string?> SinceTimeOption = new("--since-time") { Description = "Only logs after this RFC3339 time" };

    private static readonly Option<int> LinesOption = new("--lines")
    {
        Description = "Number of recent lines to print; -1 for all",
        DefaultValueFactory = _ => -1,
    };

    private static readonly Option<bool> TailOption = new("--tail", "-t")
    {
        Description = "Follow the logs (--tail=false prints and exits)",
        DefaultValueFactory = _ => true,
    };

    private static readonly Option<string> OutputOption = new("--output", "-o")
    {
        Description = "Output format: plain, keyvalue or json",
        DefaultValueFactory = _ => "plain",
    };

    private static readonly Option<bool> NameFieldOption = new("--name") { Description = "Print the function name on each line" };

    private static readonly Option<bool> InstanceFieldOption = new("--instance")
    {
        Description = "Print the replica (instance) on each line",
        DefaultValueFactory = _ => true,
    };

    private static readonly Option<string> TimeFormatOption = new("--time-format")
    {
        Description = "Timestamp format as a Go layout",
        DefaultValueFactory = _ => GoTimeLayout.Rfc3339,
    };

    public LogsCommand(CliContext context)
        : base("logs", "Stream the logs of a function", context)
    {
        Arguments.Add(NameArgument);
        Options.Add(CommonOptions.Namespace);
        Options.Add(SinceOption);
        Options.Add(SinceTimeOption);
        Options.Add(LinesOption);
        Options.Add(TailOption);
        Options.Add(OutputOption);
        OutputFormat.AddTo(this);
        Options.Add(NameFieldOption);
        Options.Add(InstanceFieldOption);
        Options.Add(TimeFormatOption);
        CommonOptions.AddGatewayOptions(this);
        Options.Add(CommonOptions.Yaml);
        Options.Add(CommonOptions.Envsubst);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        // -j and --format json (shared with the listing commands) both mean -o json.
        var format = OutputFormat.IsJson(parseResult) ? "json" : parseResult.GetValue(OutputOption)!;
        var formatter = new LogFormatter(format, parseResult.GetValue(TimeFormatOption)!, parseResult.GetValue(NameFieldOption), parseResult.GetValue(InstanceFieldOption));
        var request = new LogRequest(parseResult.GetValue(NameArgument)!)
        {
            Namespace = parseResult.GetValue(CommonOptions.Namespace),
            Follow = parseResult.GetValue(TailOption),
            Tail = parseResult.GetValue(LinesOption),
            Since = Since(parseResult),
        };

        using var client = CreateClient(parseResult, ResolveGateway(parseResult));
        try
        {
            await foreach (var message in client.StreamLogsAsync(request, cancellationToken))
            {
                await Out.WriteLineAsync(formatter.Format(message));
                await Out.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C ends a followed stream; that is the normal way out.
        }
        catch (IOException) when (request.Follow)
        {
            await Err.WriteLineAsync("The log stream was closed by the gateway.");
            return ExitCodes.Failure;
        }

        return ExitCodes.Success;
    }

    private DateTimeOffset? Since(ParseResult parseResult)
    {
        var since = parseResult.GetValue(SinceOption);
        var sinceTime = parseResult.GetValue(SinceTimeOption);
        if (!string.IsNullOrEmpty(since) && !string.IsNullOrEmpty(sinceTime))
        {
            throw new UsageException("pass --since or --since-time, not both");
        }

        if (!string.IsNullOrEmpty(since))
        {
            return GoDuration.TryParse(since, out var duration) && duration >= TimeSpan.Zero
                ? Context.Time.GetUtcNow() - duration
                : throw new UsageException($"--since '{since}' is not a duration (e.g. 30s, 5m, 1h)");
        }

        if (!string.IsNullOrEmpty(sinceTime))
        {
            return DateTimeOffset.TryParse(sinceTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
                ? time
                : throw new UsageException($"--since-time '{sinceTime}' is not an RFC3339 time (e.g. 2024-01-02T15:04:05Z)");
        }

        return null;
    }
}

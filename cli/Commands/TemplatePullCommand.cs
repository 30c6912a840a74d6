using System.CommandLine;
using Faas.Cli.Templates;

namespace Faas.Cli.Commands;

/// <summary>
/// <c>faas-cli template pull [SOURCE]</c>: copies the <c>template/</c> folders of a git repository
/// (<c>URL[#ref]</c>) or a local folder into ./template, keeping existing ones unless --overwrite.
/// </summary>
public sealed class TemplatePullCommand : BaseCommand
{
    internal static readonly Option<bool> OverwriteOption = new("--overwrite") { Description = "Replace templates that already exist in ./template" };

    private static readonly Argument<string?> SourceArgument = new("SOURCE")
    {
        Description = $"Git repository URL (URL#branch-or-tag) or folder holding a template/ folder (default: ${TemplatePuller.RepositoryVariable}, then {TemplatePuller.DefaultRepository})",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public TemplatePullCommand(CliContext context)
        : base("pull", "Download templates from a git repository or folder into ./template", context)
    {
        Arguments.Add(SourceArgument);
        Options.Add(OverwriteOption);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var source = parseResult.GetValue(SourceArgument) is { Length: > 0 } given ? given
            : Context.Env(TemplatePuller.RepositoryVariable) ?? TemplatePuller.DefaultRepository;
        await PullAndReportAsync(Context, source, parseResult.GetValue(OverwriteOption), only: null, cancellationToken);
        return ExitCodes.Success;
    }

    internal static async Task PullAndReportAsync(CliContext context, string source, bool overwrite, string? only, CancellationToken cancellationToken)
    {
        var target = Path.Combine(context.CurrentDirectory, TemplateStore.LocalFolder);
        var result = await TemplatePuller.PullAsync(source, context.CurrentDirectory, target, overwrite, only, context.Out, cancellationToken);
        if (result.Skipped.Count > 0)
        {
            await context.Out.WriteLineAsync($"Cannot overwrite the following {result.Skipped.Count} template(s): [{string.Join(" ", result.Skipped)}] (use --overwrite)");
        }

        await context.Out.WriteLineAsync($"Fetched {result.Fetched.Count} template(s) : [{string.Join(" ", result.Fetched)}] from {source}");
    }
}

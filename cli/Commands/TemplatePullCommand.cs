using System.CommandLine;
using Faas.Cli.Stack;
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
        Description = $"Git repository URL (URL#branch-or-tag), folder holding a template/ folder, or 'stack' (default: ${TemplatePuller.RepositoryVariable}, then {TemplatePuller.DefaultRepository})",
        Arity = ArgumentArity.ZeroOrOne,
    };

    /// <summary>The SOURCE that means "the templates the stack file lists".</summary>
    private const string StackSource = "stack";

    public TemplatePullCommand(CliContext context)
        : base("pull", "Download templates from a git repository or folder into ./template ('pull stack': those the stack file lists)", context)
    {
        Arguments.Add(SourceArgument);
        Options.Add(OverwriteOption);
        Options.Add(CommonOptions.Yaml);
        Options.Add(CommonOptions.Envsubst);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var source = parseResult.GetValue(SourceArgument) is { Length: > 0 } given ? given
            : Context.Env(TemplatePuller.RepositoryVariable) ?? TemplatePuller.DefaultRepository;
        if (source == StackSource && !Directory.Exists(Context.ResolvePath(source)))
        {
            await PullStackTemplatesAsync(parseResult, cancellationToken);
            return ExitCodes.Success;
        }

        await PullAndReportAsync(Context, source, parseResult.GetValue(OverwriteOption), only: null, cancellationToken);
        return ExitCodes.Success;
    }

    /// <summary>
    /// <c>template pull stack</c>: each entry of the stack file's <c>configuration.templates</c>, from
    /// its <c>source</c>, or from the template store (<c>$OPENFAAS_TEMPLATE_STORE_URL</c>) when it has none.
    /// </summary>
    private async Task PullStackTemplatesAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var path = StackLoader.LocateRequired(parseResult.GetValue(CommonOptions.Yaml), Context.CurrentDirectory);
        var stack = StackLoader.Load(path, Context.GetEnvironmentVariable, parseResult.GetValue(CommonOptions.Envsubst));
        var entries = stack.Configuration?.Templates ?? [];
        if (entries.Count == 0)
        {
            throw new CommandFailedException($"{path} lists no templates under configuration.templates");
        }

        IReadOnlyList<TemplateInfo>? store = null;
        foreach (var entry in entries)
        {
            if (string.IsNullOrWhiteSpace(entry.Name))
            {
                throw new CommandFailedException($"{path}: every configuration.templates entry needs a name");
            }

            var source = entry.Source;
            if (string.IsNullOrWhiteSpace(source))
            {
                var location = Context.Env(TemplateIndex.UrlVariable) ?? TemplateIndex.DefaultUrl;
                store ??= await TemplateIndex.ReadAsync(location, Context, tlsNoVerify: false, cancellationToken);
                source = TemplateIndex.ForPlatform(store, TemplateIndex.DefaultPlatform).FirstOrDefault(t => t.Template == entry.Name)?.Repo
                    ?? throw new CommandFailedException($"template '{entry.Name}' has no source in {path} and is not in the template store {location}");
            }

            await PullAndReportAsync(Context, source, parseResult.GetValue(OverwriteOption), entry.Name, cancellationToken);
        }
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

using System.CommandLine;
using Faas.Cli.Templates;

namespace Faas.Cli.Commands;

/// <summary><c>faas-cli template store list</c> (<c>ls</c>): the templates of a store for one platform.</summary>
public sealed class TemplateStoreListCommand : BaseCommand
{
    internal static readonly Option<string?> UrlOption = new("--url", "-u")
    {
        Description = $"Template store: http(s) URL or file of a JSON index, or a folder (default: ${TemplateIndex.UrlVariable}, then {TemplateIndex.DefaultUrl})",
    };

    internal static readonly Option<string> PlatformOption = new("--platform", "-p")
    {
        Description = "Only templates for this platform",
        DefaultValueFactory = _ => TemplateIndex.DefaultPlatform,
    };

    private static readonly Option<bool> VerboseOption = new("--verbose", "-v") { Description = "Also print language and platform" };

    public TemplateStoreListCommand(CliContext context)
        : base("list", "List the templates of a template store", context)
    {
        Aliases.Add("ls");
        Options.Add(UrlOption);
        Options.Add(PlatformOption);
        Options.Add(VerboseOption);
        OutputFormat.AddTo(this);
        Options.Add(CommonOptions.TlsNoVerify);
    }

    internal static string StoreLocation(ParseResult parseResult, CliContext context) =>
        parseResult.GetValue(UrlOption) is { Length: > 0 } url ? url : context.Env(TemplateIndex.UrlVariable) ?? TemplateIndex.DefaultUrl;

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var json = OutputFormat.IsJson(parseResult);
        var all = await TemplateIndex.ReadAsync(StoreLocation(parseResult, Context), Context, parseResult.GetValue(CommonOptions.TlsNoVerify), cancellationToken);
        var templates = TemplateIndex.ForPlatform(all, parseResult.GetValue(PlatformOption)!);
        if (json)
        {
            await Out.WriteLineAsync(TemplateIndex.ToJson(templates));
            return ExitCodes.Success;
        }

        if (templates.Count == 0)
        {
            await Err.WriteLineAsync($"No templates for platform {parseResult.GetValue(PlatformOption)}.");
            return ExitCodes.Success;
        }

        var verbose = parseResult.GetValue(VerboseOption);
        var rows = new List<string[]> { verbose ? ["NAME", "LANGUAGE", "PLATFORM", "SOURCE", "DESCRIPTION"] : ["NAME", "SOURCE", "DESCRIPTION"] };
        rows.AddRange(templates.Select(t => verbose
            ? new[] { t.Template, t.Language ?? "", t.Platform ?? "", t.Source ?? "", t.Description ?? "" }
            : new[] { t.Template, t.Source ?? "", t.Description ?? "" }));
        await Out.WriteLineAsync();
        TextTable.Write(Out, rows);
        await Out.WriteLineAsync();
        return ExitCodes.Success;
    }
}

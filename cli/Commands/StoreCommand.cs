using System.CommandLine;
using Faas.Cli.Templates;

namespace Faas.Cli.Commands;

/// <summary><c>faas-cli store list</c>: the functions of an OpenFaaS function store (for templates see <c>template store</c>).</summary>
public sealed class StoreCommand : Command
{
    public StoreCommand(CliContext context)
        : base("store", "Browse a function store (functions.json); templates are under 'template store'")
    {
        Subcommands.Add(new StoreListCommand(context));
    }
}

/// <summary><c>faas-cli store list</c> (<c>ls</c>).</summary>
public sealed class StoreListCommand : BaseCommand
{
    private static readonly Option<string?> UrlOption = new("--url", "-u")
    {
        Description = $"Function store: http(s) URL or file of a JSON index, or a folder with functions.json (default: ${FunctionStoreIndex.UrlVariable}, then {FunctionStoreIndex.DefaultUrl})",
    };

    private static readonly Option<string> PlatformOption = new("--platform", "-p")
    {
        Description = "Only functions with an image for this platform",
        DefaultValueFactory = _ => TemplateIndex.DefaultPlatform,
    };

    private static readonly Option<bool> VerboseOption = new("--verbose", "-v") { Description = "Also print the image" };

    public StoreListCommand(CliContext context)
        : base("list", "List the functions of a function store", context)
    {
        Aliases.Add("ls");
        Options.Add(UrlOption);
        Options.Add(PlatformOption);
        Options.Add(VerboseOption);
        OutputFormat.AddTo(this);
        Options.Add(CommonOptions.TlsNoVerify);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var json = OutputFormat.IsJson(parseResult);
        var location = parseResult.GetValue(UrlOption) is { Length: > 0 } url ? url : Context.Env(FunctionStoreIndex.UrlVariable) ?? FunctionStoreIndex.DefaultUrl;
        var platform = parseResult.GetValue(PlatformOption)!;
        var functions = (await FunctionStoreIndex.ReadAsync(location, Context, parseResult.GetValue(CommonOptions.TlsNoVerify), cancellationToken))
            .Where(f => f.Images is null || f.Images.ContainsKey(platform))
            .ToList();
        if (json)
        {
            await Out.WriteLineAsync(FunctionStoreIndex.ToJson(functions));
            return ExitCodes.Success;
        }

        var verbose = parseResult.GetValue(VerboseOption);
        var rows = new List<string[]> { verbose ? ["FUNCTION", "IMAGE", "DESCRIPTION"] : ["FUNCTION", "DESCRIPTION"] };
        rows.AddRange(functions.Select(f =>
        {
            var description = f.Title ?? f.Description ?? "";
            var image = f.Images is not null && f.Images.TryGetValue(platform, out var i) ? i : "";
            return verbose ? new[] { f.Name, image, description } : [f.Name, description];
        }));
        TextTable.Write(Out, rows);
        return ExitCodes.Success;
    }
}

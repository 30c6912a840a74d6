using System.CommandLine;
using Faas.Cli.Templates;

namespace Faas.Cli.Commands;

/// <summary><c>faas-cli template store pull NAME</c>: looks NAME up in the store and pulls just that template from its repo.</summary>
public sealed class TemplateStorePullCommand : BaseCommand
{
    private static readonly Argument<string> NameArgument = new("NAME") { Description = "Template to pull, as listed by 'template store list'" };

    public TemplateStorePullCommand(CliContext context)
        : base("pull", "Pull one template of a template store into ./template", context)
    {
        Arguments.Add(NameArgument);
        Options.Add(TemplateStoreListCommand.UrlOption);
        Options.Add(TemplateStoreListCommand.PlatformOption);
        Options.Add(TemplatePullCommand.OverwriteOption);
        Options.Add(CommonOptions.TlsNoVerify);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var name = parseResult.GetValue(NameArgument)!;
        var location = TemplateStoreListCommand.StoreLocation(parseResult, Context);
        var all = await TemplateIndex.ReadAsync(location, Context, parseResult.GetValue(CommonOptions.TlsNoVerify), cancellationToken);
        var found = TemplateIndex.ForPlatform(all, parseResult.GetValue(TemplateStoreListCommand.PlatformOption)!).FirstOrDefault(t => t.Template == name)
            ?? throw new CommandFailedException($"template '{name}' was not found in the store {location} for platform {parseResult.GetValue(TemplateStoreListCommand.PlatformOption)}");
        if (string.IsNullOrWhiteSpace(found.Repo))
        {
            throw new CommandFailedException($"template '{name}' in the store {location} has no repo to pull from");
        }

        await TemplatePullCommand.PullAndReportAsync(Context, found.Repo, parseResult.GetValue(TemplatePullCommand.OverwriteOption), name, cancellationToken);
        return ExitCodes.Success;
    }
}

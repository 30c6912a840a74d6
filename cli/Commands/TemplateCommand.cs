using System.CommandLine;

namespace Faas.Cli.Commands;

/// <summary><c>faas-cli template pull|store</c>: fetch templates into ./template and browse template stores.</summary>
public sealed class TemplateCommand : Command
{
    public TemplateCommand(CliContext context)
        : base("template", "Pull templates from git repositories or folders, and list template stores")
    {
        Subcommands.Add(new TemplatePullCommand(context));
        var store = new Command("store", "List and pull templates from a template store (JSON index or folder)");
        store.Subcommands.Add(new TemplateStoreListCommand(context));
        store.Subcommands.Add(new TemplateStorePullCommand(context));
        Subcommands.Add(store);
    }
}

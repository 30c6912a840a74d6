using System.CommandLine;

namespace Faas.Cli.Commands;

/// <summary><c>faas-cli namespace list|create|delete</c> (<c>ns</c>): the function namespaces.</summary>
public sealed class NamespaceCommand : Command
{
    public NamespaceCommand(CliContext context)
        : base("namespace", "Manage function namespaces: list, create, delete")
    {
        Aliases.Add("ns");
        Subcommands.Add(new NamespaceListCommand(context));
        Subcommands.Add(new NamespaceCreateCommand(context));
        Subcommands.Add(new NamespaceDeleteCommand(context));
    }
}

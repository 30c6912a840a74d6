using System.CommandLine;

namespace Faas.Cli.Commands;

/// <summary><c>faas-cli secret create|update|list|remove</c>: manage the secrets functions read from <c>/var/openfaas/secrets</c>.</summary>
public sealed class SecretCommand : Command
{
    public SecretCommand(CliContext context)
        : base("secret", "Manage secrets: create, update, list, remove")
    {
        Subcommands.Add(new SecretCreateCommand(context));
        Subcommands.Add(new SecretUpdateCommand(context));
        Subcommands.Add(new SecretListCommand(context));
        Subcommands.Add(new SecretRemoveCommand(context));
    }
}

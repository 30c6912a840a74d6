using System.CommandLine;

namespace Faas.Cli.Commands;

/// <summary><c>faas-cli async status|cancel|dead-letters|redrive</c>: look after asynchronous calls.</summary>
public sealed class AsyncCommand : Command
{
    public AsyncCommand(CliContext context)
        : base("async", "Inspect asynchronous calls: status, cancel, dead letters, redrive")
    {
        Subcommands.Add(new AsyncStatusCommand(context));
        Subcommands.Add(new AsyncDeadLettersCommand(context));
        Subcommands.Add(new AsyncRedriveCommand(context));
        Subcommands.Add(new AsyncCancelCommand(context));
    }
}

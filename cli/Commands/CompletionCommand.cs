using System.CommandLine;
using Faas.Cli.Completion;

namespace Faas.Cli.Commands;

/// <summary>
/// <c>faas-cli completion bash|zsh|fish|powershell</c>: prints a script that asks faas-cli itself for
/// completions through System.CommandLine's <c>[suggest:POSITION]</c> directive, so the candidates
/// always match the installed version's commands and options.
/// </summary>
public sealed class CompletionCommand : BaseCommand
{
    private static readonly Argument<string> ShellArgument = new("SHELL")
    {
        Description = "bash, zsh, fish or powershell",
    };

    public CompletionCommand(CliContext context)
        : base("completion", "Print a shell completion script (bash, zsh, fish, powershell)", context)
    {
        ShellArgument.AcceptOnlyFromAmong(CompletionScripts.Shells);
        Arguments.Add(ShellArgument);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        await Out.WriteAsync(CompletionScripts.For(parseResult.GetValue(ShellArgument)!));
        return ExitCodes.Success;
    }
}

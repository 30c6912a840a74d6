using System.CommandLine;

namespace Faas.Cli.Commands;

/// <summary><c>faas-cli up</c>: build, push (a no-op on the process backend) and deploy in one go.</summary>
public sealed class UpCommand : BaseCommand
{
    private static readonly Option<bool> SkipPushOption = new("--skip-push") { Description = "Skip the push step" };

    private static readonly Option<bool> SkipDeployOption = new("--skip-deploy") { Description = "Skip the deploy step" };

    public UpCommand(CliContext context)
        : base("up", "Build, push and deploy functions", context)
    {
        BuildCommand.AddOptions(this);
        BuildCommand.AddFunctionOptions(this);
        DeployCommand.AddOptions(this);
        Options.Add(SkipPushOption);
        Options.Add(SkipDeployOption);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var (stack, functions) = BuildCommand.SelectFunctions(parseResult, Context);
        var names = string.Join(", ", functions.Select(f => f.Name));

        Out.WriteLine($"[1/3] Building {functions.Count} function(s): {names}");
        var failed = await BuildCommand.BuildAllAsync(parseResult, Context, stack, functions, cancellationToken);
        if (failed > 0)
        {
            Err.WriteLine($"{failed} build(s) failed; nothing was deployed.");
            return ExitCodes.Failure;
        }

        Out.WriteLine(parseResult.GetValue(SkipPushOption) ? "[2/3] Push skipped (--skip-push)." : $"[2/3] Push: {PushCommand.Message}");

        if (parseResult.GetValue(SkipDeployOption))
        {
            Out.WriteLine("[3/3] Deploy skipped (--skip-deploy).");
            return ExitCodes.Success;
        }

        Out.WriteLine($"[3/3] Deploying {functions.Count} function(s): {names}");
        failed = await DeployCommand.DeployAllAsync(parseResult, Context, stack, functions, cancellationToken);
        return failed == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }
}

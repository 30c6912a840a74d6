using System.CommandLine;

namespace Faas.Cli.Commands;

/// <summary><c>faas-cli up</c>: build, push (only images that name a registry) and deploy in one go.</summary>
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

        if (parseResult.GetValue(SkipPushOption))
        {
            Out.WriteLine("[2/3] Push skipped (--skip-push).");
        }
        else
        {
            Out.WriteLine($"[2/3] Pushing {functions.Count} function(s): {names}");
            failed = await PushCommand.PushAllAsync(
                Context, stack, functions, parseResult.GetValue(BuildCommand.ParallelOption), parseResult.GetValue(FunctionOptions.Tag), parseResult.GetValue(BuildCommand.QuietOption), cancellationToken) == ExitCodes.Success ? 0 : 1;
            if (failed > 0)
            {
                Err.WriteLine("The push failed; nothing was deployed.");
                return ExitCodes.Failure;
            }
        }

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

using System.CommandLine;

namespace Faas.Cli.Commands;

/// <summary>
/// <c>faas-cli push</c>: nothing to do on the process backend, which reads artifacts from the local
/// store written by build. Kept so OpenFaaS scripts (build, push, deploy) keep working.
/// </summary>
public sealed class PushCommand : BaseCommand
{
    internal const string Message =
        "No container registry is configured: the process backend runs functions from the local artifact store written by 'faas-cli build', and the docker backend runs images from the local daemon ('faas-cli build --engine docker'), so no push is needed.";

    public PushCommand(CliContext context)
        : base("push", "Push images to a registry (not needed by the process backend)", context)
    {
        CommonOptions.AddStackOptions(this);
        Options.Add(BuildCommand.ParallelOption);
        Options.Add(FunctionOptions.Tag);
        Options.Add(BuildCommand.QuietOption);
    }

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        Out.WriteLine(Message);
        return Task.FromResult(ExitCodes.Success);
    }
}

using System.CommandLine;
using System.CommandLine.Invocation;
using Faas.Cli.Commands;

namespace Faas.Cli;

/// <summary>The faas-cli command tree, built around a <see cref="CliContext"/> so tests can run it in-process.</summary>
public static class CliApp
{
    public static RootCommand CreateRootCommand(CliContext context)
    {
        var root = new RootCommand("faas-cli: build, deploy and invoke functions on an OpenFaaS-compatible gateway")
        {
            new NewCommand(context),
            new BuildCommand(context),
            new PushCommand(context),
            new DeployCommand(context),
            new UpCommand(context),
            new InvokeCommand(context),
            new ListCommand(context),
            new DescribeCommand(context),
            new RemoveCommand(context),
            new LogsCommand(context),
            new ScaleCommand(context),
            new AsyncCommand(context),
            new SecretCommand(context),
            new NamespaceCommand(context),
            new LoginCommand(context),
            new LogoutCommand(context),
            new VersionCommand(context),
            new ReadyCommand(context),
            new GenerateCommand(context),
            new TemplateCommand(context),
            new StoreCommand(context),
            new CompletionCommand(context),
        };
        return root;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/> with the context's writers. Parse errors (unknown
    /// command or option, missing argument) are printed by System.CommandLine and exit with
    /// <see cref="ExitCodes.Usage"/>.
    /// </summary>
    public static async Task<int> InvokeAsync(CliContext context, string[] args, CancellationToken cancellationToken = default)
    {
        var parseResult = CreateRootCommand(context).Parse(args);
        var configuration = new InvocationConfiguration { Output = context.Out, Error = context.Err };
        var exitCode = await parseResult.InvokeAsync(configuration, cancellationToken);
        await context.Out.FlushAsync(cancellationToken);
        await context.Err.FlushAsync(cancellationToken);
        return parseResult.Action is ParseErrorAction ? ExitCodes.Usage : exitCode;
    }
}

using System.CommandLine;
using Faas.Cli.Config;
using Faas.Cli.Stack;

namespace Faas.Cli.Commands;

/// <summary><c>faas-cli remove [NAME]</c> (<c>rm</c>, <c>delete</c>): removes one function, or the stack file's functions.</summary>
public sealed class RemoveCommand : BaseCommand
{
    private static readonly Argument<string?> NameArgument = new("NAME")
    {
        Description = "Function to remove (default: every function in the stack file)",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public RemoveCommand(CliContext context)
        : base("remove", "Remove deployed functions", context)
    {
        Aliases.Add("rm");
        Aliases.Add("delete");
        Arguments.Add(NameArgument);
        Options.Add(CommonOptions.Namespace);
        CommonOptions.AddStackOptions(this);
        CommonOptions.AddGatewayOptions(this);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var name = parseResult.GetValue(NameArgument);
        var flagNamespace = parseResult.GetValue(CommonOptions.Namespace);
        List<(string Name, string? Namespace)> targets;
        string gateway;
        if (!string.IsNullOrEmpty(name))
        {
            targets = [(name, flagNamespace)];
            gateway = ResolveGateway(parseResult);
        }
        else
        {
            var path = StackLoader.LocateRequired(parseResult.GetValue(CommonOptions.Yaml), Context.CurrentDirectory);
            var stack = StackLoader.Load(path, Context.GetEnvironmentVariable, parseResult.GetValue(CommonOptions.Envsubst));
            targets = FunctionFilter.Apply(stack, parseResult.GetValue(CommonOptions.Filter), parseResult.GetValue(CommonOptions.Regex))
                .Select(f => (f.Name, string.IsNullOrEmpty(flagNamespace) ? f.Namespace : flagNamespace))
                .ToList();
            gateway = GatewayUrl.Resolve(parseResult.GetValue(CommonOptions.Gateway), Context, stack.Provider?.Gateway);
        }

        using var client = CreateClient(parseResult, gateway);
        var failures = 0;
        foreach (var (function, @namespace) in targets)
        {
            Out.WriteLine($"Deleting: {Qualify(function, @namespace)}.");
            if (await client.DeleteFunctionAsync(function, string.IsNullOrEmpty(@namespace) ? null : @namespace, cancellationToken))
            {
                Out.WriteLine("Removing old function.");
            }
            else
            {
                failures++;
                Err.WriteLine($"No existing function to remove: {Qualify(function, @namespace)}");
            }
        }

        return failures == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }
}

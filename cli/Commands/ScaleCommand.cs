using System.CommandLine;

namespace Faas.Cli.Commands;

/// <summary>
/// <c>faas-cli scale NAME --replicas N</c>: POST /system/scale-function/NAME. Our extension: OpenFaaS's
/// faas-cli has no scale command, though the endpoint is the same.
/// </summary>
public sealed class ScaleCommand : BaseCommand
{
    private static readonly Argument<string> NameArgument = new("NAME") { Description = "Function to scale" };

    private static readonly Option<ulong> ReplicasOption = new("--replicas")
    {
        Description = "Desired number of replicas (0 scales to zero)",
        Required = true,
    };

    public ScaleCommand(CliContext context)
        : base("scale", "Set the desired replicas of a function", context)
    {
        Arguments.Add(NameArgument);
        Options.Add(ReplicasOption);
        Options.Add(CommonOptions.Namespace);
        CommonOptions.AddGatewayOptions(this);
        Options.Add(CommonOptions.Yaml);
        Options.Add(CommonOptions.Envsubst);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var name = parseResult.GetValue(NameArgument)!;
        var replicas = parseResult.GetValue(ReplicasOption);
        var @namespace = parseResult.GetValue(CommonOptions.Namespace);
        using var client = CreateClient(parseResult, ResolveGateway(parseResult));
        if (!await client.ScaleAsync(name, replicas, @namespace, cancellationToken))
        {
            throw new CommandFailedException($"No such function: {Qualify(name, @namespace)}");
        }

        Out.WriteLine($"Scaling {Qualify(name, @namespace)} to {replicas} replica(s).");
        return ExitCodes.Success;
    }
}

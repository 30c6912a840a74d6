using System.CommandLine;
using System.Net;
using Faas.Contracts.System;

namespace Faas.Cli.Commands;

/// <summary><c>faas-cli namespace create NAME</c>: POST /system/namespace/ (opts the namespace in for functions and secrets).</summary>
public sealed class NamespaceCreateCommand : BaseCommand
{
    private static readonly Argument<string> NameArgument = new("NAME") { Description = "Name of the namespace (lower-case letters, digits and '-')" };

    private static readonly Option<string[]> LabelOption = new("--label", "-l") { Description = "Label KEY=VALUE (repeatable)", AllowMultipleArgumentsPerToken = false };

    private static readonly Option<string[]> AnnotationOption = new("--annotation") { Description = "Annotation KEY=VALUE (repeatable)" };

    public NamespaceCreateCommand(CliContext context)
        : base("create", "Create a function namespace", context)
    {
        Arguments.Add(NameArgument);
        Options.Add(LabelOption);
        Options.Add(AnnotationOption);
        CommonOptions.AddGatewayOptions(this);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var ns = new FunctionNamespace
        {
            Name = parseResult.GetValue(NameArgument)!,
            Labels = ParsePairs(parseResult.GetValue(LabelOption), "--label"),
            Annotations = ParsePairs(parseResult.GetValue(AnnotationOption), "--annotation"),
        };
        using var client = CreateClient(parseResult, ResolveGateway(parseResult, readStack: false));
        await Out.WriteLineAsync($"Creating namespace: {ns.Name}");
        var status = await client.CreateNamespaceAsync(ns, cancellationToken);
        if (status == HttpStatusCode.Conflict)
        {
            await Err.WriteLineAsync($"namespace \"{ns.Name}\" already exists");
            return ExitCodes.Failure;
        }

        await Out.WriteLineAsync($"Created: {(int)status} {status}");
        return ExitCodes.Success;
    }
}

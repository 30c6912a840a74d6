using System.CommandLine;
using Faas.Cli.Build;
using Faas.Cli.Generate;
using Faas.Cli.Stack;
using Faas.Contracts.Naming;

namespace Faas.Cli.Commands;

/// <summary>
/// <c>faas-cli generate</c>: prints an <c>openfaas.com/v1</c> <c>Function</c> resource per stack
/// function, ready for <c>kubectl apply -f -</c>. Talks to no gateway.
/// </summary>
public sealed class GenerateCommand : BaseCommand
{
    private static readonly Option<string> ApiOption = new("--api")
    {
        Description = $"API version of the resources (only {FunctionManifest.ApiVersion})",
        DefaultValueFactory = _ => FunctionManifest.ApiVersion,
    };

    private static readonly Option<string?> NamespaceOption = new("--namespace", "-n")
    {
        Description = $"Kubernetes namespace of the functions (default: each function's namespace, else {FunctionManifest.DefaultNamespace})",
    };

    private static readonly Option<string[]> LabelOption = new("--label", "-l") { Description = "Extra label KEY=VALUE on every function (repeatable)" };

    private static readonly Option<string[]> AnnotationOption = new("--annotation") { Description = "Extra annotation KEY=VALUE on every function (repeatable)" };

    public GenerateCommand(CliContext context)
        : base("generate", "Generate Kubernetes Function resources (YAML) from a stack file", context)
    {
        Options.Add(ApiOption);
        Options.Add(NamespaceOption);
        Options.Add(FunctionOptions.Tag);
        Options.Add(LabelOption);
        Options.Add(AnnotationOption);
        CommonOptions.AddStackOptions(this);
    }

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var api = parseResult.GetValue(ApiOption);
        if (api != FunctionManifest.ApiVersion)
        {
            throw new UsageException($"--api '{api}' is not supported: use {FunctionManifest.ApiVersion}");
        }

        if (parseResult.GetValue(NamespaceOption) is { Length: > 0 } ns && FunctionNames.Validate(ns, "--namespace") is { } nsError)
        {
            throw new UsageException(nsError);
        }

        var tag = parseResult.GetValue(FunctionOptions.Tag);
        ImageTag.Validate(tag);
        var options = new FunctionManifest.Options(
            parseResult.GetValue(NamespaceOption),
            tag,
            ParsePairs(parseResult.GetValue(LabelOption), "--label"),
            ParsePairs(parseResult.GetValue(AnnotationOption), "--annotation"));

        var path = StackLoader.LocateRequired(parseResult.GetValue(CommonOptions.Yaml), Context.CurrentDirectory);
        var stack = StackLoader.Load(path, Context.GetEnvironmentVariable, parseResult.GetValue(CommonOptions.Envsubst));
        var functions = FunctionFilter.Apply(stack, parseResult.GetValue(CommonOptions.Filter), parseResult.GetValue(CommonOptions.Regex));

        // Everything is validated before anything is printed: a half-written manifest must not reach kubectl.
        Out.Write(FunctionManifest.Write(stack, functions, options));
        return Task.FromResult(ExitCodes.Success);
    }
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Faas.Contracts.Functions;

namespace Faas.Cli.Commands;

/// <summary><c>faas-cli describe NAME</c>: one function's status, URLs and configuration.</summary>
public sealed class DescribeCommand : BaseCommand
{
    private static readonly Argument<string> NameArgument = new("NAME") { Description = "Function to describe" };

    public DescribeCommand(CliContext context)
        : base("describe", "Describe a deployed function", context)
    {
        Arguments.Add(NameArgument);
        Options.Add(CommonOptions.Namespace);
        OutputFormat.AddTo(this);
        CommonOptions.AddGatewayOptions(this);
        Options.Add(CommonOptions.Yaml);
        Options.Add(CommonOptions.Envsubst);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var json = OutputFormat.IsJson(parseResult);
        var name = parseResult.GetValue(NameArgument)!;
        var @namespace = parseResult.GetValue(CommonOptions.Namespace);
        using var client = CreateClient(parseResult, ResolveGateway(parseResult));
        var function = await client.GetFunctionAsync(name, @namespace, cancellationToken)
            ?? throw new CommandFailedException($"No such function: {Qualify(name, @namespace)}");

        if (function.InvocationCount == 0)
        {
            // As in OpenFaaS, only the list endpoint carries invocation counts.
            try
            {
                var listed = await client.ListFunctionsAsync(@namespace, cancellationToken);
                if (listed.FirstOrDefault(f => f.Name == function.Name) is { } match)
                {
                    function = function with { InvocationCount = match.InvocationCount };
                }
            }
            catch (GatewayException)
            {
                // The count is a nicety; describe still works without it.
            }
        }

        if (json)
        {
            Out.WriteLine(JsonSerializer.Serialize(function, OutputFormat.Indented.FunctionStatus));
            return ExitCodes.Success;
        }

        var qualified = Qualify(function.Name, @namespace);
        var fields = new List<(string Label, string Value)>
        {
            ("Name", function.Name),
            ("Status", function.AvailableReplicas > 0 ? "Ready" : "Not Ready"),
            ("Replicas", function.Replicas.ToString(CultureInfo.InvariantCulture)),
            ("Available Replicas", function.AvailableReplicas.ToString(CultureInfo.InvariantCulture)),
            ("Invocations", ((long)function.InvocationCount).ToString(CultureInfo.InvariantCulture)),
            ("Image", function.Image),
            ("Function Process", string.IsNullOrEmpty(function.EnvProcess) ? "<default>" : function.EnvProcess),
            ("URL", $"{client.Gateway}/function/{qualified}"),
            ("Async URL", $"{client.Gateway}/async-function/{qualified}"),
            ("Labels", Map(function.Labels)),
            ("Annotations", Map(function.Annotations)),
            ("Constraints", List(function.Constraints)),
            ("Environment", Map(function.EnvVars)),
            ("Secrets", List(function.Secrets)),
            ("Requests", Resources(function.Requests)),
            ("Limits", Resources(function.Limits)),
        };

        var width = fields.Max(f => f.Label.Length) + 2;
        foreach (var (label, value) in fields)
        {
            Out.WriteLine((label + ":").PadRight(width) + value);
        }

        return ExitCodes.Success;
    }

    /// <summary>faas-cli style: <c>&lt;none&gt;</c>, or one <c>key: value</c> per line below the label.</summary>
    private static string Map(Dictionary<string, string>? values) =>
        values is null || values.Count == 0
            ? "<none>"
            : string.Concat(values.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{Environment.NewLine} {p.Key}: {p.Value}"));

    private static string List(List<string>? values) =>
        values is null || values.Count == 0 ? "<none>" : string.Join(", ", values);

    private static string Resources(FunctionResources? resources)
    {
        if (resources is null || (string.IsNullOrEmpty(resources.Cpu) && string.IsNullOrEmpty(resources.Memory)))
        {
            return "<none>";
        }

        var parts = new List<string>();
        if (!string.IsNullOrEmpty(resources.Cpu))
        {
            parts.Add($"CPU: {resources.Cpu}");
        }

        if (!string.IsNullOrEmpty(resources.Memory))
        {
            parts.Add($"Memory: {resources.Memory}");
        }

        return string.Join(" ", parts);
    }
}

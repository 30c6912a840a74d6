using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Faas.Contracts.Functions;

namespace Faas.Cli.Commands;

/// <summary><c>faas-cli list</c> (<c>ls</c>): the deployed functions as a table, names or JSON.</summary>
public sealed class ListCommand : BaseCommand
{
    private static readonly Option<bool> QuietOption = new("--quiet", "-q") { Description = "Print only the function names" };

    private static readonly Option<bool> VerboseOption = new("--verbose", "-v") { Description = "Also print the image" };

    private static readonly Option<string> SortOption = new("--sort")
    {
        Description = "Sort by name or invocations",
        DefaultValueFactory = _ => "name",
    };

    public ListCommand(CliContext context)
        : base("list", "List the deployed functions", context)
    {
        Aliases.Add("ls");
        Options.Add(CommonOptions.Namespace);
        Options.Add(QuietOption);
        Options.Add(VerboseOption);
        Options.Add(SortOption);
        OutputFormat.AddTo(this);
        CommonOptions.AddGatewayOptions(this);
        Options.Add(CommonOptions.Yaml);
        Options.Add(CommonOptions.Envsubst);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var json = OutputFormat.IsJson(parseResult);
        var sort = parseResult.GetValue(SortOption);
        if (sort is not ("name" or "invocations"))
        {
            throw new UsageException($"--sort '{sort}' is not supported: use name or invocations");
        }

        using var client = CreateClient(parseResult, ResolveGateway(parseResult));
        var functions = await client.ListFunctionsAsync(parseResult.GetValue(CommonOptions.Namespace), cancellationToken);
        var sorted = sort == "invocations"
            ? functions.OrderByDescending(f => f.InvocationCount).ThenBy(f => f.Name, StringComparer.Ordinal).ToList()
            : functions.OrderBy(f => f.Name, StringComparer.Ordinal).ToList();

        if (json)
        {
            Out.WriteLine(JsonSerializer.Serialize(sorted, OutputFormat.Indented.ListFunctionStatus));
        }
        else if (parseResult.GetValue(QuietOption))
        {
            foreach (var function in sorted)
            {
                Out.WriteLine(function.Name);
            }
        }
        else
        {
            WriteTable(sorted, parseResult.GetValue(VerboseOption));
        }

        return ExitCodes.Success;
    }

    private void WriteTable(IReadOnlyList<FunctionStatus> functions, bool verbose)
    {
        var rows = new List<string[]>();
        rows.Add(verbose ? ["Function", "Image", "Invocations", "Replicas"] : ["Function", "Invocations", "Replicas"]);
        foreach (var f in functions)
        {
            var invocations = ((long)f.InvocationCount).ToString(CultureInfo.InvariantCulture);
            var replicas = f.Replicas.ToString(CultureInfo.InvariantCulture);
            rows.Add(verbose ? [f.Name, f.Image, invocations, replicas] : [f.Name, invocations, replicas]);
        }

        // faas-cli pads Function and Image to 30 and Invocations to 15; longer values widen the column.
        int[] minimum = verbose ? [30, 30, 15, 5] : [30, 15, 5];
        var widths = minimum.Select((min, i) => Math.Max(min, rows.Max(r => r[i].Length))).ToArray();
        foreach (var row in rows)
        {
            var cells = row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i] + 1));
            Out.WriteLine(string.Concat(cells).TrimEnd());
        }
    }
}

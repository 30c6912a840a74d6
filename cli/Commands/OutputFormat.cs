using System.CommandLine;
using System.Text.Json;
using Faas.Contracts.Json;

namespace Faas.Cli.Commands;

/// <summary>-j/--json and --format json|table, shared by list and describe.</summary>
public static class OutputFormat
{
    public static readonly Option<bool> Json = new("--json", "-j") { Description = "Print JSON" };

    public static readonly Option<string> Format = new("--format")
    {
        Description = "Output format: table or json",
        DefaultValueFactory = _ => "table",
    };

    /// <summary>Indented JSON with the wire names and omissions of the gateway API.</summary>
    public static readonly FaasJsonContext Indented = new(new JsonSerializerOptions(FaasJsonContext.Default.Options) { WriteIndented = true });

    public static void AddTo(Command command)
    {
        command.Options.Add(Json);
        command.Options.Add(Format);
    }

    public static bool IsJson(ParseResult parseResult)
    {
        var format = parseResult.GetValue(Format);
        return format switch
        {
            "json" => true,
            "table" => parseResult.GetValue(Json),
            _ => throw new UsageException($"--format '{format}' is not supported: use table or json"),
        };
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Faas.Cli.Templates;

/// <summary>One function of an OpenFaaS function store (<c>functions.json</c>, version 0.2.0).</summary>
public sealed record StoreFunction
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("title")]
    public string? Title { get; init; }

    [JsonPropertyName("description")]
    public string? Description { get; init; }

    [JsonPropertyName("fprocess")]
    public string? FProcess { get; init; }

    [JsonPropertyName("repo_url")]
    public string? RepoUrl { get; init; }

    /// <summary>Image per platform (<c>x86_64</c>, <c>arm64</c>, <c>armhf</c>).</summary>
    [JsonPropertyName("images")]
    public Dictionary<string, string>? Images { get; init; }

    [JsonPropertyName("labels")]
    public Dictionary<string, string>? Labels { get; init; }

    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; init; }

    [JsonPropertyName("environment")]
    public Dictionary<string, string>? Environment { get; init; }
}

public sealed record FunctionStore
{
    [JsonPropertyName("version")]
    public string? Version { get; init; }

    [JsonPropertyName("functions")]
    public List<StoreFunction> Functions { get; init; } = [];
}

[JsonSerializable(typeof(FunctionStore))]
[JsonSerializable(typeof(List<StoreFunction>))]
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class FunctionStoreJson : JsonSerializerContext;

/// <summary>Reads an OpenFaaS function store index from an http(s) URL, a JSON file, or a folder holding <c>functions.json</c>.</summary>
public static class FunctionStoreIndex
{
    public const string DefaultUrl = "https://raw.githubusercontent.com/openfaas/store/master/functions.json";
    public const string UrlVariable = "OPENFAAS_STORE";

    public static async Task<IReadOnlyList<StoreFunction>> ReadAsync(string location, CliContext context, bool tlsNoVerify, CancellationToken cancellationToken = default)
    {
        string json;
        string where = location;
        if (location.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            json = await StoreDownload.GetStringAsync(location, context, tlsNoVerify, cancellationToken);
        }
        else
        {
            var path = context.ResolvePath(location);
            if (Directory.Exists(path))
            {
                path = Path.Combine(path, "functions.json");
            }

            if (!File.Exists(path))
            {
                throw new CommandFailedException($"function store not found: {location} is not an http(s) URL, a JSON file or a folder with functions.json");
            }

            where = path;
            json = await File.ReadAllTextAsync(path, cancellationToken);
        }

        try
        {
            return JsonSerializer.Deserialize(json, FunctionStoreJson.Default.FunctionStore)?.Functions ?? [];
        }
        catch (JsonException ex)
        {
            throw new CommandFailedException($"function store {where} is not a store index ({{\"version\", \"functions\": [...]}}): {ex.Message}", ex);
        }
    }

    public static string ToJson(IReadOnlyList<StoreFunction> functions) =>
        JsonSerializer.Serialize(functions.ToList(), FunctionStoreJson.Default.ListStoreFunction);
}

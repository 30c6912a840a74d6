using System.Text.Json;
using System.Text.Json.Serialization;
using Faas.Cli.Gateway;

namespace Faas.Cli.Templates;

/// <summary>One entry of a template store, with the keys of OpenFaaS's <c>templates.json</c>.</summary>
public sealed record TemplateInfo
{
    [JsonPropertyName("template")]
    public string Template { get; init; } = "";

    [JsonPropertyName("platform")]
    public string? Platform { get; init; }

    [JsonPropertyName("language")]
    public string? Language { get; init; }

    [JsonPropertyName("source")]
    public string? Source { get; init; }

    [JsonPropertyName("description")]
    public string? Description { get; init; }

    /// <summary>Where <c>template store pull</c> fetches it from: a git URL or a folder.</summary>
    [JsonPropertyName("repo")]
    public string? Repo { get; init; }

    [JsonPropertyName("official")]
    public string? Official { get; init; }
}

[JsonSerializable(typeof(List<TemplateInfo>))]
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class TemplateIndexJson : JsonSerializerContext;

/// <summary>
/// Reads a template store: a JSON index (OpenFaaS's <c>templates.json</c> shape) at an http(s) URL
/// or a file, or a folder, whose <c>templates.json</c> is used when present and otherwise whose
/// templates (<c>template/&lt;lang&gt;/template.yml</c>) are listed, with the folder as their repo.
/// </summary>
public static class TemplateIndex
{
    public const string DefaultUrl = "https://raw.githubusercontent.com/openfaas/store/master/templates.json";
    public const string UrlVariable = "OPENFAAS_TEMPLATE_STORE_URL";
    public const string DefaultPlatform = "x86_64";
    private const string IndexFileName = "templates.json";

    public static async Task<IReadOnlyList<TemplateInfo>> ReadAsync(string location, CliContext context, bool tlsNoVerify, CancellationToken cancellationToken = default)
    {
        if (location.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return Parse(await StoreDownload.GetStringAsync(location, context, tlsNoVerify, cancellationToken), location);
        }

        var path = context.ResolvePath(location);
        if (Directory.Exists(path))
        {
            var index = Path.Combine(path, IndexFileName);
            return File.Exists(index) ? Parse(await File.ReadAllTextAsync(index, cancellationToken), index) : FromFolder(path);
        }

        if (File.Exists(path))
        {
            return Parse(await File.ReadAllTextAsync(path, cancellationToken), path);
        }

        throw new CommandFailedException($"template store not found: {location} is not an http(s) URL, a JSON file or a folder");
    }

    /// <summary>Entries for <paramref name="platform"/>; an entry without a platform is for every platform.</summary>
    public static IReadOnlyList<TemplateInfo> ForPlatform(IEnumerable<TemplateInfo> templates, string platform) =>
        templates.Where(t => string.IsNullOrEmpty(t.Platform) || string.Equals(t.Platform, platform, StringComparison.OrdinalIgnoreCase)).ToList();

    public static string ToJson(IReadOnlyList<TemplateInfo> templates) =>
        JsonSerializer.Serialize(templates.ToList(), TemplateIndexJson.Default.ListTemplateInfo);

    private static List<TemplateInfo> Parse(string json, string where)
    {
        try
        {
            return JsonSerializer.Deserialize(json, TemplateIndexJson.Default.ListTemplateInfo) ?? [];
        }
        catch (JsonException ex)
        {
            throw new CommandFailedException($"template store {where} is not a JSON array of templates: {ex.Message}", ex);
        }
    }

    private static List<TemplateInfo> FromFolder(string folder)
    {
        var root = Path.Combine(folder, TemplateStore.LocalFolder);
        if (!Directory.Exists(root))
        {
            throw new CommandFailedException($"template store folder {folder} has neither {IndexFileName} nor a '{TemplateStore.LocalFolder}/' folder");
        }

        var store = new TemplateStore(folder, folder);
        return store.List()
            .Where(t => !t.BuiltIn)
            .Select(t => new TemplateInfo
            {
                Template = t.Language,
                Platform = DefaultPlatform,
                Language = t.Manifest.Language,
                Source = Path.GetFileName(folder),
                Description = FirstLine(t.Manifest.WelcomeMessage),
                Repo = folder,
            })
            .ToList();
    }

    private static string? FirstLine(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Trim().Split('\n')[0].Trim();
}

/// <summary>GET of a store index over http(s), through the CLI's HTTP stack (so tests can fake it).</summary>
internal static class StoreDownload
{
    public static async Task<string> GetStringAsync(string url, CliContext context, bool tlsNoVerify, CancellationToken cancellationToken)
    {
        using var http = GatewayClient.CreateHttpClient(context, tlsNoVerify);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            using var response = await http.GetAsync(url, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new CommandFailedException($"store {url} answered {(int)response.StatusCode}, wanted 200");
            }

            return await response.Content.ReadAsStringAsync(timeout.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CommandFailedException($"store {url} did not answer within 30s", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new CommandFailedException($"cannot read store {url}: {ex.Message}", ex);
        }
    }
}

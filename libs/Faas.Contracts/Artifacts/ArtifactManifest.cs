using System.Text.Json;
using System.Text.Json.Serialization;

namespace Faas.Contracts.Artifacts;

/// <summary>Written by <c>faas-cli build</c> into an artifact folder once the publish succeeded.</summary>
public sealed record ArtifactManifest
{
    [JsonPropertyName("image")]
    public string Image { get; init; } = "";

    /// <summary>Template language the artifact was built from, e.g. <c>csharp</c>.</summary>
    [JsonPropertyName("lang")]
    public string Lang { get; init; } = "";

    /// <summary>File name of the handler assembly inside the folder, e.g. <c>Function.dll</c>.</summary>
    [JsonPropertyName("handlerAssembly")]
    public string HandlerAssembly { get; init; } = "";

    [JsonPropertyName("builtAt")]
    public DateTimeOffset BuiltAt { get; init; }

    public static ArtifactManifest? TryRead(string folder)
    {
        var path = Path.Combine(folder, ArtifactStore.ManifestFileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), ArtifactJsonContext.Default.ArtifactManifest);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Write(string folder)
    {
        var path = Path.Combine(folder, ArtifactStore.ManifestFileName);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, ArtifactJsonContext.Default.ArtifactManifest));
        File.Move(temp, path, overwrite: true);
    }
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(ArtifactManifest))]
internal sealed partial class ArtifactJsonContext : JsonSerializerContext;

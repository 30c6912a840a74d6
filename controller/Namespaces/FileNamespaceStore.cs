using System.Text.Json;
using System.Text.Json.Serialization;
using Faas.Contracts.System;
using Faas.Controller.Secrets;

namespace Faas.Controller.Namespaces;

/// <summary>Namespaces in <c>&lt;state_dir&gt;/namespaces.json</c>, loaded once, replaced atomically on every change.</summary>
public sealed class FileNamespaceStore : INamespaceStore
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile IReadOnlyDictionary<string, FunctionNamespace> _namespaces;

    public FileNamespaceStore(string stateDir)
    {
        FilePath = Path.Combine(stateDir, "namespaces.json");
        _namespaces = Load(FilePath);
    }

    public string FilePath { get; }

    public IReadOnlyList<FunctionNamespace> List() => _namespaces.Values.OrderBy(n => n.Name, StringComparer.Ordinal).ToList();

    public FunctionNamespace? Get(string name) => _namespaces.GetValueOrDefault(name);

    public Task<bool> CreateAsync(FunctionNamespace ns, CancellationToken cancellationToken = default) =>
        ChangeAsync(current => current.ContainsKey(ns.Name) ? null : new Dictionary<string, FunctionNamespace>(current) { [ns.Name] = ns }, cancellationToken);

    public Task<bool> UpdateAsync(FunctionNamespace ns, CancellationToken cancellationToken = default) =>
        ChangeAsync(current => current.ContainsKey(ns.Name) ? new Dictionary<string, FunctionNamespace>(current) { [ns.Name] = ns } : null, cancellationToken);

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default) =>
        ChangeAsync(current =>
        {
            if (!current.ContainsKey(name))
            {
                return null;
            }

            var next = new Dictionary<string, FunctionNamespace>(current);
            next.Remove(name);
            return next;
        }, cancellationToken);

    /// <summary><paramref name="change"/> returns the new map, or null to refuse (nothing written).</summary>
    private async Task<bool> ChangeAsync(Func<IReadOnlyDictionary<string, FunctionNamespace>, Dictionary<string, FunctionNamespace>?> change, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (change(_namespaces) is not { } next)
            {
                return false;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            var json = JsonSerializer.SerializeToUtf8Bytes(new NamespaceFile { Namespaces = next.Values.OrderBy(n => n.Name, StringComparer.Ordinal).ToList() }, NamespaceJsonContext.Default.NamespaceFile);
            await SecretFiles.WriteAtomicAsync(FilePath, json, SecretFiles.PrivateFile, cancellationToken);
            _namespaces = next;
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static Dictionary<string, FunctionNamespace> Load(string path)
    {
        if (!File.Exists(path))
        {
            return new Dictionary<string, FunctionNamespace>(StringComparer.Ordinal);
        }

        try
        {
            var file = JsonSerializer.Deserialize(File.ReadAllBytes(path), NamespaceJsonContext.Default.NamespaceFile) ?? new NamespaceFile();
            return file.Namespaces.Where(n => n.Name.Length > 0).ToDictionary(n => n.Name, StringComparer.Ordinal);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"namespaces file '{path}' is not valid: {e.Message}; fix it or move it away to start with the default namespace only", e);
        }
    }
}

internal sealed record NamespaceFile
{
    [JsonPropertyName("namespaces")]
    public List<FunctionNamespace> Namespaces { get; init; } = [];
}

[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(NamespaceFile))]
internal sealed partial class NamespaceJsonContext : JsonSerializerContext;

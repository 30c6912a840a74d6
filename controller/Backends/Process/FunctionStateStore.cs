using System.Text.Json;
using System.Text.Json.Serialization;
using Faas.Contracts.Functions;

namespace Faas.Controller.Backends.Process;

/// <summary>Content of <c>&lt;state_dir&gt;/functions.json</c>: desired state plus the replicas to re-adopt.</summary>
public sealed record ProcessState
{
    [JsonPropertyName("functions")]
    public List<FunctionRecord> Functions { get; init; } = [];
}

public sealed record FunctionRecord
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("namespace")]
    public string Namespace { get; init; } = "";

    [JsonPropertyName("deployment")]
    public FunctionDeployment Deployment { get; init; } = new();

    /// <summary>Absolute path of the handler dll resolved from the artifact store at deploy time.</summary>
    [JsonPropertyName("handlerAssembly")]
    public string HandlerAssembly { get; init; } = "";

    /// <summary>Desired replicas.</summary>
    [JsonPropertyName("replicas")]
    public int Replicas { get; init; }

    /// <summary>Increases on every update; replicas of an older generation are being rolled out.</summary>
    [JsonPropertyName("generation")]
    public long Generation { get; init; }

    [JsonPropertyName("createdAt")]
    public DateTimeOffset CreatedAt { get; init; }

    [JsonPropertyName("replicaSet")]
    public List<ReplicaRecord> ReplicaSet { get; init; } = [];
}

public sealed record ReplicaRecord
{
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    [JsonPropertyName("pid")]
    public int Pid { get; init; }

    [JsonPropertyName("port")]
    public int Port { get; init; }

    [JsonPropertyName("generation")]
    public long Generation { get; init; }

    [JsonPropertyName("startedAt")]
    public DateTimeOffset StartedAt { get; init; }
}

[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProcessState))]
internal sealed partial class ProcessStateJsonContext : JsonSerializerContext;

/// <summary>Reads and atomically replaces the state file (temp file, flush, rename).</summary>
public sealed class FunctionStateStore(ProcessPaths paths)
{
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    public string FilePath => paths.StateFile;

    /// <summary>An empty state when there is no file yet; throws with a message naming the file when it is unreadable.</summary>
    public ProcessState Load()
    {
        if (!File.Exists(FilePath))
        {
            return new ProcessState();
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(FilePath), ProcessStateJsonContext.Default.ProcessState) ?? new ProcessState();
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"state file '{FilePath}' is not valid: {e.Message}; fix it or move it away to start empty", e);
        }
    }

    /// <summary>
    /// Writes the state that <paramref name="snapshot"/> returns. The snapshot is taken once the
    /// previous write finished, so the last write always holds the newest state.
    /// </summary>
    public async Task SaveAsync(Func<ProcessState> snapshot, CancellationToken cancellationToken = default)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            var state = snapshot();
            Directory.CreateDirectory(paths.StateDir);
            var temp = FilePath + ".tmp";
            await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await JsonSerializer.SerializeAsync(stream, state, ProcessStateJsonContext.Default.ProcessState, CancellationToken.None);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, FilePath, overwrite: true);
        }
        finally
        {
            _writeGate.Release();
        }
    }
}

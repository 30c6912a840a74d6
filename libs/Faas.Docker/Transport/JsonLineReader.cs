using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Faas.Docker;

/// <summary>Reads a streamed answer made of one JSON object per line (build, import, events).</summary>
internal sealed class JsonLineReader<T> : IDisposable
    where T : class
{
    private readonly StreamReader _reader;
    private readonly JsonTypeInfo<T> _type;

    public JsonLineReader(Stream stream, JsonTypeInfo<T> type)
    {
        _reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 4096, leaveOpen: false);
        _type = type;
    }

    /// <summary>The next object, or null at the end of the stream. Blank lines are skipped.</summary>
    public async ValueTask<T?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var line = await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null)
            {
                return null;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            return JsonSerializer.Deserialize(line, _type);
        }
    }

    public void Dispose() => _reader.Dispose();
}

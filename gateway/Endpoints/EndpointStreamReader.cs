using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Faas.Contracts.Endpoints;
using Faas.Contracts.Json;

namespace Faas.Gateway.Endpoints;

/// <summary>Reads the controller's NDJSON endpoint stream, one <see cref="EndpointSnapshot"/> per line.</summary>
public static class EndpointStreamReader
{
    /// <summary>How long the stream may stay silent before the gateway gives up on it.</summary>
    public static readonly TimeSpan DefaultSilenceTimeout = EndpointStream.HeartbeatInterval * 3;

    /// <summary>
    /// Yields every snapshot on <paramref name="stream"/> until it ends. Lines may arrive in pieces;
    /// blank lines are skipped and malformed ones reported to <paramref name="malformed"/>. Throws
    /// <see cref="TimeoutException"/> when no line arrives for <paramref name="silenceTimeout"/>.
    /// </summary>
    public static async IAsyncEnumerable<EndpointSnapshot> ReadAsync(
        Stream stream,
        TimeSpan silenceTimeout,
        Action<string, JsonException>? malformed = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 16 * 1024, leaveOpen: true);
        using var silence = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (true)
        {
            silence.CancelAfter(silenceTimeout);
            string? line;
            try
            {
                line = await reader.ReadLineAsync(silence.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"the endpoint stream sent nothing for {silenceTimeout.TotalSeconds:0.###}s");
            }

            if (line is null)
            {
                yield break;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            EndpointSnapshot? snapshot = null;
            try
            {
                snapshot = JsonSerializer.Deserialize(line, FaasJsonContext.Default.EndpointSnapshot);
            }
            catch (JsonException e)
            {
                malformed?.Invoke(line, e);
            }

            if (snapshot is not null)
            {
                yield return snapshot;
            }
        }
    }
}

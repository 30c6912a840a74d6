using System.Runtime.CompilerServices;

namespace Faas.Docker;

/// <summary>
/// Turns "read the next item" into an <see cref="IAsyncEnumerable{T}"/> with the client's stream
/// contract: the sequence ends quietly when the caller cancels, connection failures become
/// <see cref="DockerUnavailableException"/>, and the response is disposed however it ends.
/// </summary>
internal static class StreamPump
{
    public static async IAsyncEnumerable<T> RunAsync<TState, T>(
        DockerTransport transport,
        string operation,
        Func<CancellationToken, Task<HttpResponseMessage>> open,
        Func<Stream, TState> createState,
        Func<TState, CancellationToken, ValueTask<T?>> readNext,
        [EnumeratorCancellation] CancellationToken cancellationToken)
        where TState : IDisposable
        where T : class
    {
        var response = await Step(() => open(cancellationToken)).ConfigureAwait(false);
        if (response is null)
        {
            yield break;
        }

        using (response)
        {
            var stream = await Step(() => response.Content.ReadAsStreamAsync(cancellationToken)).ConfigureAwait(false);
            if (stream is null)
            {
                yield break;
            }

            using var state = createState(stream);
            while (true)
            {
                var item = await Step(() => readNext(state, cancellationToken).AsTask()).ConfigureAwait(false);
                if (item is null)
                {
                    yield break;
                }

                yield return item;
            }
        }

        // Runs one step; null means "stop" (end of stream or the caller cancelled).
        async Task<TResult?> Step<TResult>(Func<Task<TResult>> step)
            where TResult : class?
        {
            try
            {
                return await step().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                DockerClientLog.StreamCancelled(transport.Logger, operation);
                return null;
            }
            catch (Exception ex) when (DockerTransport.IsTransportFailure(ex))
            {
                // A cancelled read on some platforms surfaces as an IOException: still the caller's cancellation.
                if (cancellationToken.IsCancellationRequested)
                {
                    DockerClientLog.StreamCancelled(transport.Logger, operation);
                    return null;
                }

                throw transport.Unavailable(operation, ex);
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidDataException)
            {
                throw DockerTransport.Unreadable(operation, ex);
            }
        }
    }
}

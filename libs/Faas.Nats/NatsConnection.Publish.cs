using Faas.Nats.Protocol;

namespace Faas.Nats;

public sealed partial class NatsConnection
{
    private readonly Lock _backpressureLock = new();
    private TaskCompletionSource? _drained;
    private long _pendingBytes;

    /// <summary>Bytes formatted and queued but not yet handed to the socket.</summary>
    internal long PendingBytes => Interlocked.Read(ref _pendingBytes);

    /// <summary>
    /// Publishes <paramref name="data"/> (byte[], ReadOnlyMemory&lt;byte&gt;, Memory&lt;byte&gt;, string or null).
    /// Completes once queued for the socket; while reconnecting the message is buffered, and
    /// <see cref="NatsReconnectBufferFullException"/> is thrown when the buffer bound is reached.
    /// </summary>
    public ValueTask PublishAsync<T>(string subject, T? data, NatsHeaders? headers = null, string? replyTo = null, CancellationToken cancellationToken = default)
    {
        if (ConnectionState == NatsConnectionState.Initial)
        {
            return ConnectThenPublishAsync(subject, data, headers, replyTo, cancellationToken);
        }

        var command = ProtocolWriter.Publish(subject, replyTo, headers, data, ServerInfo?.MaxPayload ?? 0, out _);
        return EnqueueAsync(command, isPublish: true, cancellationToken);
    }

    /// <summary>Publishes a message without a payload (headers only, or nothing at all).</summary>
    public ValueTask PublishAsync(string subject, NatsHeaders? headers = null, string? replyTo = null, CancellationToken cancellationToken = default) =>
        PublishAsync<byte[]>(subject, null, headers, replyTo, cancellationToken);

    /// <summary>Round-trips a PING; completing proves everything queued before it reached the server.</summary>
    public async ValueTask<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
    {
        await ConnectAsync(cancellationToken).ConfigureAwait(false);
        var completion = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        await EnqueueAsync(ProtocolWriter.Ping(new PingEntry(completion)), isPublish: false, cancellationToken).ConfigureAwait(false);
        return await completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    internal ValueTask EnqueueAsync(OutboundCommand command, bool isPublish, CancellationToken cancellationToken) =>
        Enqueue(command, isPublish) ? WaitForDrainAsync(cancellationToken) : ValueTask.CompletedTask;

    /// <summary>Queues a formatted command; true when the caller should wait for the writer to drain.</summary>
    internal bool Enqueue(OutboundCommand command, bool isPublish)
    {
        var state = ConnectionState;
        if (state == NatsConnectionState.Closed)
        {
            command.Release();
            throw new NatsConnectionClosedException("the connection is closed", _terminalError);
        }

        if (isPublish && state != NatsConnectionState.Open)
        {
            var buffered = PendingBytes;
            if (buffered + command.Length > Opts.ReconnectBufferSize)
            {
                command.Release();
                throw new NatsReconnectBufferFullException(buffered, Opts.ReconnectBufferSize);
            }
        }

        var pending = Interlocked.Add(ref _pendingBytes, command.Length);
        if (!_commands.Writer.TryWrite(command))
        {
            Interlocked.Add(ref _pendingBytes, -command.Length);
            command.Release();
            throw new NatsConnectionClosedException("the connection is closed", _terminalError);
        }

        return isPublish && state == NatsConnectionState.Open && pending > Opts.WriterBufferSize;
    }

    /// <summary>Called by the writer loop after each flush.</summary>
    internal void OnCommandsWritten(int bytes)
    {
        var pending = Interlocked.Add(ref _pendingBytes, -bytes);
        if (pending <= Opts.WriterBufferSize / 2 && Volatile.Read(ref _drained) is not null)
        {
            ReleaseBackpressure();
        }
    }

    private async ValueTask ConnectThenPublishAsync<T>(string subject, T? data, NatsHeaders? headers, string? replyTo, CancellationToken cancellationToken)
    {
        await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await PublishAsync(subject, data, headers, replyTo, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask WaitForDrainAsync(CancellationToken cancellationToken)
    {
        while (PendingBytes > Opts.WriterBufferSize && ConnectionState == NatsConnectionState.Open)
        {
            Task drained;
            lock (_backpressureLock)
            {
                _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                drained = _drained.Task;
            }

            if (PendingBytes <= Opts.WriterBufferSize)
            {
                return;
            }

            await drained.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void ReleaseBackpressure()
    {
        TaskCompletionSource? drained;
        lock (_backpressureLock)
        {
            drained = _drained;
            _drained = null;
        }

        drained?.TrySetResult();
    }
}

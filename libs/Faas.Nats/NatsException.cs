using Faas.Nats.JetStream.Models;

namespace Faas.Nats;

/// <summary>Root of every exception this client throws; the concrete types are sealed leaves.</summary>
public abstract class NatsException : Exception
{
    protected NatsException(string message)
        : base(message)
    {
    }

    protected NatsException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A TCP connect or the protocol handshake failed, or a live connection was lost.</summary>
public sealed class NatsConnectionFailedException(string message, Exception? innerException = null)
    : NatsException(message, innerException);

/// <summary>The connection reached its terminal state (disposed, gave up reconnecting, or auth failed).</summary>
public sealed class NatsConnectionClosedException(string message, Exception? innerException = null)
    : NatsException(message, innerException);

/// <summary>The server rejected the credentials; terminal, the client does not retry.</summary>
public sealed class NatsAuthorizationException(string message)
    : NatsException(message);

/// <summary>The server answered with <c>-ERR</c> during the handshake.</summary>
public sealed class NatsServerErrorException(string message)
    : NatsException(message);

/// <summary>The server sent bytes that are not valid NATS protocol.</summary>
public sealed class NatsProtocolException(string message)
    : NatsException(message);

/// <summary>A request or an operation with a deadline did not complete in time.</summary>
public sealed class NatsTimeoutException(string message)
    : NatsException(message);

/// <summary>A request was published to a subject nobody subscribes to (status 503).</summary>
public sealed class NatsNoRespondersException(string subject)
    : NatsException($"no responders are listening on '{subject}'")
{
    public string Subject { get; } = subject;
}

/// <summary>Publishing while disconnected exceeded <see cref="NatsOpts.ReconnectBufferSize"/>.</summary>
public sealed class NatsReconnectBufferFullException(long bufferedBytes, int limit)
    : NatsException($"the reconnect buffer is full ({bufferedBytes} bytes pending, limit {limit}); the publish was not queued");

/// <summary>A message is larger than the server's max_payload.</summary>
public sealed class NatsPayloadTooLargeException(long size, long maxPayload)
    : NatsException($"message of {size} bytes exceeds the server's max_payload of {maxPayload} bytes");

/// <summary>The JetStream API answered with an error.</summary>
public sealed class NatsJSApiException(ApiError error)
    : NatsException($"JetStream API error {error.Code} (err_code {error.ErrCode}): {error.Description}")
{
    public ApiError Error { get; } = error;
}

/// <summary>A key-value write expected a revision the key no longer has.</summary>
public sealed class NatsKVWrongLastRevisionException(string key, NatsJSApiException inner)
    : NatsException($"key '{key}' is not at the expected revision", inner);

/// <summary>A key-value create found the key already present.</summary>
public sealed class NatsKVCreateException(string key, Exception? inner = null)
    : NatsException($"key '{key}' already exists", inner);

/// <summary>The key has never been written (or its history has aged out).</summary>
public sealed class NatsKVKeyNotFoundException(string key)
    : NatsException($"key '{key}' was not found");

/// <summary>The key's latest entry is a delete or purge marker.</summary>
public sealed class NatsKVKeyDeletedException(string key, ulong revision)
    : NatsException($"key '{key}' was deleted at revision {revision}")
{
    public ulong Revision { get; } = revision;
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Faas.Nats;

/// <summary>Credentials sent in CONNECT. Either user/password or a token, or nothing.</summary>
public sealed record NatsAuthOpts
{
    public static readonly NatsAuthOpts Default = new();

    public string? Username { get; init; }

    public string? Password { get; init; }

    public string? Token { get; init; }
}

/// <summary>Connection options; immutable, validated by <see cref="Validate"/> when a connection is created.</summary>
public sealed record NatsOpts
{
    public static readonly NatsOpts Default = new();

    /// <summary>One or more server URLs separated by commas, e.g. <c>nats://127.0.0.1:4222</c>.</summary>
    public string Url { get; init; } = "nats://localhost:4222";

    /// <summary>Client name reported to the server in CONNECT.</summary>
    public string Name { get; init; } = "faas";

    public NatsAuthOpts AuthOpts { get; init; } = NatsAuthOpts.Default;

    /// <summary>Bound on TCP connect plus the INFO/CONNECT/PING handshake.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Default timeout of <see cref="NatsConnection.RequestAsync{TRequest,TReply}"/>.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the client pings the server to detect a dead connection.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Pings left unanswered before the connection is considered stale and dropped.</summary>
    public int MaxPingOut { get; init; } = 2;

    /// <summary>First reconnect delay; doubled on each failed attempt up to <see cref="ReconnectWaitMax"/>.</summary>
    public TimeSpan ReconnectWaitMin { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan ReconnectWaitMax { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Random extra delay (0..jitter) added to every reconnect wait so clients do not stampede.</summary>
    public TimeSpan ReconnectJitter { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Reconnect attempts before the connection closes for good; -1 retries forever.</summary>
    public int MaxReconnectRetry { get; init; } = -1;

    /// <summary>Bytes of publishes buffered while disconnected; beyond it publishing fails fast.</summary>
    public int ReconnectBufferSize { get; init; } = 8 * 1024 * 1024;

    /// <summary>Bytes queued for the socket while connected before publishers wait (back-pressure).</summary>
    public int WriterBufferSize { get; init; } = 1024 * 1024;

    /// <summary>Messages a subscription holds for its reader before new ones are dropped.</summary>
    public int SubPendingChannelCapacity { get; init; } = 1024;

    public string InboxPrefix { get; init; } = "_INBOX";

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Every problem with these options at once, each naming the key, the value and the valid range.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Url))
        {
            errors.Add("Url: must not be empty (e.g. nats://127.0.0.1:4222)");
        }
        else
        {
            foreach (var part in Url.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!NatsServerAddress.TryParse(part, out _))
                {
                    errors.Add($"Url: '{part}' is not a nats://host:port address");
                }
            }
        }

        Positive(errors, nameof(ConnectTimeout), ConnectTimeout);
        Positive(errors, nameof(RequestTimeout), RequestTimeout);
        Positive(errors, nameof(PingInterval), PingInterval);
        Positive(errors, nameof(ReconnectWaitMin), ReconnectWaitMin);
        if (ReconnectWaitMax < ReconnectWaitMin)
        {
            errors.Add($"ReconnectWaitMax: {ReconnectWaitMax} must be >= ReconnectWaitMin ({ReconnectWaitMin})");
        }

        if (ReconnectJitter < TimeSpan.Zero)
        {
            errors.Add($"ReconnectJitter: {ReconnectJitter} must be >= 0");
        }

        if (MaxPingOut < 1)
        {
            errors.Add($"MaxPingOut: {MaxPingOut} must be >= 1");
        }

        if (MaxReconnectRetry < -1)
        {
            errors.Add($"MaxReconnectRetry: {MaxReconnectRetry} must be -1 (forever) or >= 0");
        }

        if (ReconnectBufferSize < 0)
        {
            errors.Add($"ReconnectBufferSize: {ReconnectBufferSize} must be >= 0");
        }

        if (WriterBufferSize < 1024)
        {
            errors.Add($"WriterBufferSize: {WriterBufferSize} must be >= 1024");
        }

        if (SubPendingChannelCapacity < 1)
        {
            errors.Add($"SubPendingChannelCapacity: {SubPendingChannelCapacity} must be >= 1");
        }

        if (string.IsNullOrWhiteSpace(InboxPrefix) || InboxPrefix.Contains(' ', StringComparison.Ordinal) || InboxPrefix.EndsWith('.'))
        {
            errors.Add($"InboxPrefix: '{InboxPrefix}' must be a non-empty subject prefix without spaces or a trailing '.'");
        }

        if (AuthOpts.Token is not null && (AuthOpts.Username is not null || AuthOpts.Password is not null))
        {
            errors.Add("AuthOpts: set either Token or Username/Password, not both");
        }

        return errors;
    }

    private static void Positive(List<string> errors, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{key}: {value} must be > 0");
        }
    }
}

/// <summary>A parsed <c>nats://host:port</c> address.</summary>
internal readonly record struct NatsServerAddress(string Host, int Port)
{
    public static bool TryParse(string value, out NatsServerAddress address)
    {
        address = default;
        var text = value.Contains("://", StringComparison.Ordinal) ? value : "nats://" + value;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != "nats" || string.IsNullOrEmpty(uri.Host))
        {
            return false;
        }

        address = new NatsServerAddress(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? 4222 : uri.Port);
        return true;
    }

    public override string ToString() => $"nats://{Host}:{Port}";
}

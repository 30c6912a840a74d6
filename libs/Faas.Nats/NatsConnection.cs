using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Faas.Nats.Internal;
using Faas.Nats.Protocol;
using Microsoft.Extensions.Logging;

namespace Faas.Nats;

/// <summary>
/// A NATS connection: one TCP socket at a time, a single writer loop fed by a channel of formatted
/// commands, a reader loop over a pipe, and a supervisor that reconnects with jittered exponential
/// backoff until <see cref="NatsOpts.MaxReconnectRetry"/> is exhausted.
/// </summary>
/// <remarks>
/// Life of a connection:
/// 1. <see cref="ConnectAsync"/> (or the first operation) dials, handshakes and starts a session: Initial -> Connecting -> Open.
/// 2. Commands are formatted by callers and queued on <c>_commands</c>; the session's writer loop drains them in batches.
/// 3. When the session ends (socket closed, stale pings, protocol error) the supervisor moves Open -> Reconnecting;
///    publishes keep queueing up to <see cref="NatsOpts.ReconnectBufferSize"/>.
/// 4. Each new session re-sends SUB for every live subscription before the queued commands flow: Reconnecting -> Open.
/// 5. Dispose, an auth error or running out of attempts moves to Closed, which is terminal.
/// </remarks>
public sealed partial class NatsConnection : IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly NatsServerAddress[] _servers;
    private readonly Channel<OutboundCommand> _commands =
        Channel.CreateUnbounded<OutboundCommand>(new UnboundedChannelOptions { SingleReader = false });

    private readonly ConcurrentDictionary<int, NatsSubBase> _subscriptions = new();
    private readonly Lock _stateLock = new();
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly CancellationTokenSource _disposeCts = new();
    private NatsConnectionState _state = NatsConnectionState.Initial;
    private NatsSession? _session;
    private Task? _supervisor;
    private Exception? _terminalError;
    private int _serverIndex = -1;
    private int _nextSid;
    private int _disposed;

    public NatsConnection()
        : this(NatsOpts.Default)
    {
    }

    public NatsConnection(NatsOpts opts)
    {
        ArgumentNullException.ThrowIfNull(opts);
        var errors = opts.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid NatsOpts: " + string.Join("; ", errors), nameof(opts));
        }

        Opts = opts;
        _logger = opts.LoggerFactory.CreateLogger("Faas.Nats.NatsConnection");
        _servers = opts.Url.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(url => NatsServerAddress.TryParse(url, out var address) ? address : throw new UnreachableException())
            .ToArray();
        _inboxMux = new InboxMux(this);
    }

    /// <summary>Raised on every state transition, on an internal thread; handlers must not block.</summary>
    public event EventHandler<NatsConnectionStateChangedEventArgs>? ConnectionStateChanged;

    public NatsOpts Opts { get; }

    public NatsConnectionState ConnectionState
    {
        get
        {
            lock (_stateLock)
            {
                return _state;
            }
        }
    }

    /// <summary>The INFO of the server this connection last handshook with.</summary>
    public NatsServerInfo? ServerInfo { get; internal set; }

    internal ILogger Logger => _logger;

    internal ChannelReader<OutboundCommand> Commands => _commands.Reader;

    /// <summary>Connects if not yet connected. Throws <see cref="NatsConnectionFailedException"/> when no server can be reached.</summary>
    public async ValueTask ConnectAsync(CancellationToken cancellationToken = default)
    {
        if (ConnectionState is NatsConnectionState.Open or NatsConnectionState.Reconnecting)
        {
            return;
        }

        ThrowIfClosed();
        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var state = ConnectionState;
            if (state is NatsConnectionState.Open or NatsConnectionState.Reconnecting)
            {
                return;
            }

            ThrowIfClosed();
            TryTransition(NatsConnectionState.Connecting, null);
            Exception? last = null;
            for (var i = 0; i < _servers.Length; i++)
            {
                var server = NextServer();
                try
                {
                    var session = await NatsSession.ConnectAsync(this, server, cancellationToken).ConfigureAwait(false);
                    StartSupervising(session);
                    return;
                }
                catch (NatsAuthorizationException ex)
                {
                    Terminate(ex);
                    throw;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    TryTransition(NatsConnectionState.Initial, null);
                    throw;
                }
                catch (Exception ex) when (ex is not NatsConnectionClosedException)
                {
                    NatsLog.ConnectAttemptFailed(_logger, ex, 1, server.ToString());
                    last = ex;
                }
            }

            TryTransition(NatsConnectionState.Initial, last);
            throw new NatsConnectionFailedException($"could not connect to {Opts.Url}: {last?.Message}", last);
        }
        finally
        {
            _connectLock.Release();
        }
    }

    /// <summary>Flushes what is queued (best effort, bounded), then closes the connection for good.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (ConnectionState == NatsConnectionState.Open)
        {
            using var flushTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                await PingAsync(flushTimeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NatsException or OperationCanceledException)
            {
                // Best effort: anything still queued is dropped.
            }
        }

        await _disposeCts.CancelAsync().ConfigureAwait(false);
        Terminate(null);
        if (_supervisor is { } supervisor)
        {
            await supervisor.ConfigureAwait(false);
        }

        if (Interlocked.Exchange(ref _session, null) is { } session)
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }

        _disposeCts.Dispose();
    }

    internal int NextSid() => Interlocked.Increment(ref _nextSid);

    internal IEnumerable<NatsSubBase> ActiveSubscriptions => _subscriptions.Values.OrderBy(s => s.Sid);

    internal void ThrowIfClosed()
    {
        if (ConnectionState == NatsConnectionState.Closed)
        {
            throw new NatsConnectionClosedException("the connection is closed", _terminalError);
        }
    }

    private NatsServerAddress NextServer()
    {
        var index = (int)((uint)Interlocked.Increment(ref _serverIndex) % (uint)_servers.Length);
        return _servers[index];
    }

    private void StartSupervising(NatsSession session)
    {
        _session = session;
        if (!TryTransition(NatsConnectionState.Open, null))
        {
            // Disposed while connecting.
            _ = session.DisposeAsync().AsTask();
            throw new NatsConnectionClosedException("the connection was closed while connecting", _terminalError);
        }

        _supervisor = Task.Run(() => SuperviseAsync(session));
    }

    private async Task SuperviseAsync(NatsSession session)
    {
        var cancellationToken = _disposeCts.Token;
        while (true)
        {
            var reason = await session.Completion.ConfigureAwait(false);
            await session.DisposeAsync().ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested || ConnectionState == NatsConnectionState.Closed)
            {
                return;
            }

            if (reason is NatsAuthorizationException)
            {
                Terminate(reason);
                return;
            }

            NatsLog.Disconnected(_logger, reason, session.Server.ToString());
            if (!TryTransition(NatsConnectionState.Reconnecting, reason))
            {
                return;
            }

            var next = await ReconnectAsync(cancellationToken).ConfigureAwait(false);
            if (next is null)
            {
                return;
            }

            session = next;
            _session = session;
            if (!TryTransition(NatsConnectionState.Open, null))
            {
                await session.DisposeAsync().ConfigureAwait(false);
                return;
            }
        }
    }

    private async Task<NatsSession?> ReconnectAsync(CancellationToken cancellationToken)
    {
        Exception? last = null;
        for (var attempt = 1; ; attempt++)
        {
            if (Opts.MaxReconnectRetry >= 0 && attempt > Opts.MaxReconnectRetry)
            {
                Terminate(new NatsConnectionClosedException($"gave up after {Opts.MaxReconnectRetry} reconnect attempts", last));
                return null;
            }

            var delay = ReconnectDelay(attempt);
            NatsLog.ReconnectScheduled(_logger, attempt, delay);
            var server = NextServer();
            try
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                return await NatsSession.ConnectAsync(this, server, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return null;
            }
            catch (NatsAuthorizationException ex)
            {
                Terminate(ex);
                return null;
            }
            catch (Exception ex)
            {
                NatsLog.ConnectAttemptFailed(_logger, ex, attempt, server.ToString());
                last = ex;
            }
        }
    }

    /// <summary>min(max, min * 2^(attempt-1)) plus a random 0..jitter.</summary>
    internal TimeSpan ReconnectDelay(int attempt)
    {
        var exponent = Math.Min(attempt - 1, 20);
        var backoff = TimeSpan.FromTicks(Math.Min(Opts.ReconnectWaitMax.Ticks, Opts.ReconnectWaitMin.Ticks * (1L << exponent)));
        var jitter = TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * Opts.ReconnectJitter.Ticks));
        return backoff + jitter;
    }

    private bool TryTransition(NatsConnectionState next, Exception? error)
    {
        NatsConnectionState old;
        lock (_stateLock)
        {
            old = _state;
            if (old == NatsConnectionState.Closed || old == next)
            {
                return false;
            }

            _state = next;
            if (next == NatsConnectionState.Closed)
            {
                _terminalError = error;
            }
        }

        NatsLog.StateChanged(_logger, old, next);
        try
        {
            ConnectionStateChanged?.Invoke(this, new NatsConnectionStateChangedEventArgs(old, next, error));
        }
        catch (Exception ex)
        {
            // A subscriber's bug must not stop the state machine.
            NatsLog.StateHandlerFailed(_logger, ex, old, next);
        }

        // Publishers waiting for the socket to drain re-check the state.
        ReleaseBackpressure();
        return true;
    }

    /// <summary>Moves to Closed and fails everything waiting; <paramref name="error"/> is null for a normal dispose.</summary>
    private void Terminate(Exception? error)
    {
        if (!TryTransition(NatsConnectionState.Closed, error))
        {
            return;
        }

        if (error is not null)
        {
            NatsLog.Terminated(_logger, error);
        }

        _session?.Fail(error ?? new NatsConnectionClosedException("the connection was disposed"));
        _commands.Writer.TryComplete();
        while (_commands.Reader.TryRead(out var command))
        {
            command.Ping?.Completion?.TrySetException(new NatsConnectionClosedException("the connection is closed", error));
            command.Release();
        }

        Interlocked.Exchange(ref _pendingBytes, 0);
        foreach (var subscription in _subscriptions.Values)
        {
            subscription.Complete(error);
        }

        _subscriptions.Clear();
        _inboxMux.FailAll(new NatsConnectionClosedException("the connection is closed", error));
        ReleaseBackpressure();
    }
}

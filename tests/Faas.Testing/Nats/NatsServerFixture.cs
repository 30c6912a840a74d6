using Faas.Nats;

namespace Faas.Testing.Nats;

/// <summary>One nats-server (with JetStream) per test class; tests keep apart by using their own subjects and names.</summary>
public sealed class NatsServerFixture : IAsyncLifetime
{
    private NatsServer? _server;

    public NatsServer Server => _server ?? throw new InvalidOperationException("the fixture has not started");

    public string Url => Server.Url;

    public async Task InitializeAsync() => _server = await NatsServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A connection with options suited to tests (fast reconnects, short request timeouts).</summary>
    public NatsConnection Connect(Func<NatsOpts, NatsOpts>? configure = null) => TestConnections.Create(Url, configure);
}

public static class TestConnections
{
    public static NatsConnection Create(string url, Func<NatsOpts, NatsOpts>? configure = null)
    {
        var opts = new NatsOpts
        {
            Url = url,
            Name = "faas-nats-tests",
            RequestTimeout = TimeSpan.FromSeconds(5),
            ReconnectWaitMin = TimeSpan.FromMilliseconds(50),
            ReconnectWaitMax = TimeSpan.FromMilliseconds(500),
            ReconnectJitter = TimeSpan.FromMilliseconds(20),
        };
        return new NatsConnection(configure is null ? opts : configure(opts));
    }

    /// <summary>Waits (bounded) until the connection reaches <paramref name="state"/>.</summary>
    public static async Task WaitForStateAsync(this NatsConnection connection, NatsConnectionState state, TimeSpan? timeout = null)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(object? sender, NatsConnectionStateChangedEventArgs e)
        {
            if (e.NewState == state)
            {
                reached.TrySetResult();
            }
        }

        connection.ConnectionStateChanged += OnChanged;
        try
        {
            if (connection.ConnectionState == state)
            {
                return;
            }

            var limit = timeout ?? TimeSpan.FromSeconds(10);
            try
            {
                await reached.Task.WaitAsync(limit);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"connection did not reach {state} within {limit}; it is {connection.ConnectionState}");
            }
        }
        finally
        {
            connection.ConnectionStateChanged -= OnChanged;
        }
    }

    /// <summary>A name no other test uses, safe as a subject token and a stream/consumer/bucket name.</summary>
    public static string Unique(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public static CancellationToken Timeout(int seconds = 10) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;
}

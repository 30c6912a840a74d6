namespace Faas.Docker;

/// <summary>The daemon's event stream.</summary>
public sealed class EventOperations
{
    private readonly DockerTransport _transport;

    internal EventOperations(DockerTransport transport) => _transport = transport;

    /// <summary>
    /// <c>GET /events</c> as a stream. Runs until <see cref="EventsParameters.Until"/> or until the caller
    /// cancels, which ends the sequence without an exception.
    /// </summary>
    public IAsyncEnumerable<DockerEvent> MonitorEventsAsync(EventsParameters? parameters = null, CancellationToken cancellationToken = default)
    {
        var filters = new Dictionary<string, IList<string>>();
        foreach (var (name, values) in parameters?.Filters ?? new Dictionary<string, IList<string>>())
        {
            filters[name] = [.. values];
        }

        var query = new QueryString().Add("since", parameters?.Since).Add("until", parameters?.Until).AddFilters(filters);
        return StreamPump.RunAsync(
            _transport,
            "Events",
            token => _transport.SendAsync(HttpMethod.Get, "/events" + query, versioned: true, null, Timeout.InfiniteTimeSpan, "Events", token),
            stream => new JsonLineReader<DockerEvent>(stream, DockerJsonContext.Default.DockerEvent),
            (reader, token) => reader.ReadAsync(token),
            cancellationToken);
    }
}

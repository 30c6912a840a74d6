namespace Faas.Docker;

/// <summary>Network calls: create, list, inspect, delete, connect, disconnect.</summary>
public sealed class NetworkOperations
{
    private readonly DockerTransport _transport;

    internal NetworkOperations(DockerTransport transport) => _transport = transport;

    /// <summary><c>POST /networks/create</c>; <see cref="DockerConflictException"/> when the name is taken.</summary>
    public Task<NetworkCreateResponse> CreateNetworkAsync(NetworkCreateParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return _transport.SendJsonAsync(
            HttpMethod.Post,
            "/networks/create",
            versioned: true,
            DockerTransport.JsonContent(parameters, DockerJsonContext.Default.NetworkCreateParameters),
            DockerJsonContext.Default.NetworkCreateResponse,
            _transport.RequestTimeout,
            "Create network",
            cancellationToken);
    }

    /// <summary><c>GET /networks</c>, optionally filtered by name or label.</summary>
    public Task<IReadOnlyList<NetworkResponse>> ListNetworksAsync(NetworkListParameters? parameters = null, CancellationToken cancellationToken = default)
    {
        var filters = new Dictionary<string, IList<string>>();
        if (parameters?.Names is { Count: > 0 } names)
        {
            filters["name"] = [.. names];
        }

        if (parameters?.Labels is { Count: > 0 } labels)
        {
            filters["label"] = [.. labels];
        }

        var query = new QueryString().AddFilters(filters);
        return _transport.SendJsonAsync("/networks" + query, versioned: true, DockerJsonContext.Default.IReadOnlyListNetworkResponse, "List networks", cancellationToken);
    }

    /// <summary><c>GET /networks/{id}</c> (id or name).</summary>
    public Task<NetworkResponse> InspectNetworkAsync(string id, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync(NetworkPath(id, ""), versioned: true, DockerJsonContext.Default.NetworkResponse, "Inspect network", cancellationToken);

    /// <summary><c>DELETE /networks/{id}</c>; <see cref="DockerServerException"/> or conflict while containers use it.</summary>
    public Task DeleteNetworkAsync(string id, CancellationToken cancellationToken = default) =>
        _transport.SendNoContentAsync(HttpMethod.Delete, NetworkPath(id, ""), null, _transport.RequestTimeout, "Delete network", cancellationToken);

    /// <summary><c>POST /networks/{id}/connect</c>: attaches a (created or running) container.</summary>
    public Task ConnectNetworkAsync(string id, NetworkConnectParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return _transport.SendNoContentAsync(
            HttpMethod.Post,
            NetworkPath(id, "/connect"),
            DockerTransport.JsonContent(parameters, DockerJsonContext.Default.NetworkConnectParameters),
            _transport.RequestTimeout,
            "Connect network",
            cancellationToken);
    }

    /// <summary><c>POST /networks/{id}/disconnect</c>.</summary>
    public Task DisconnectNetworkAsync(string id, NetworkDisconnectParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return _transport.SendNoContentAsync(
            HttpMethod.Post,
            NetworkPath(id, "/disconnect"),
            DockerTransport.JsonContent(parameters, DockerJsonContext.Default.NetworkDisconnectParameters),
            _transport.RequestTimeout,
            "Disconnect network",
            cancellationToken);
    }

    private static string NetworkPath(string id, string suffix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return $"/networks/{Uri.EscapeDataString(id)}{suffix}";
    }
}

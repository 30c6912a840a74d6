namespace Faas.Docker;

/// <summary>The body of <c>POST /networks/create</c>.</summary>
public sealed record NetworkCreateParameters
{
    public required string Name { get; init; }

    /// <summary>Default <c>bridge</c>.</summary>
    public string? Driver { get; init; } = "bridge";

    /// <summary>Refuse to create a second network with the same name. Default true.</summary>
    public bool CheckDuplicate { get; init; } = true;

    /// <summary>No route to the outside world.</summary>
    public bool? Internal { get; init; }

    public bool? Attachable { get; init; }

    public IDictionary<string, string>? Labels { get; init; }

    /// <summary>Driver options, e.g. <c>com.docker.network.bridge.name</c>.</summary>
    public IDictionary<string, string>? Options { get; init; }
}

public sealed record NetworkCreateResponse
{
    public required string Id { get; init; }

    public string? Warning { get; init; }
}

/// <summary>A network as listed or inspected; <see cref="Containers"/> is only filled by inspect.</summary>
public sealed record NetworkResponse
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public DateTimeOffset? Created { get; init; }

    public string? Scope { get; init; }

    public string? Driver { get; init; }

    public bool Internal { get; init; }

    public bool Attachable { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public NetworkIpam? IPAM { get; init; }

    /// <summary>Container id to its endpoint on this network.</summary>
    public IReadOnlyDictionary<string, NetworkContainer>? Containers { get; init; }
}

public sealed record NetworkIpam
{
    public string? Driver { get; init; }

    public IReadOnlyList<NetworkIpamConfig>? Config { get; init; }
}

public sealed record NetworkIpamConfig
{
    public string? Subnet { get; init; }

    public string? Gateway { get; init; }
}

public sealed record NetworkContainer
{
    public string? Name { get; init; }

    public string? EndpointID { get; init; }

    /// <summary>CIDR notation, e.g. <c>10.201.0.2/24</c>.</summary>
    public string? IPv4Address { get; init; }
}

/// <summary>Parameters of <c>GET /networks</c>.</summary>
public sealed record NetworkListParameters
{
    /// <summary>Name filters (the daemon matches substrings).</summary>
    public IList<string>? Names { get; init; }

    /// <summary>Label filters: <c>key</c> or <c>key=value</c>.</summary>
    public IList<string>? Labels { get; init; }
}

/// <summary>The body of <c>POST /networks/{id}/connect</c>.</summary>
public sealed record NetworkConnectParameters
{
    public required string Container { get; init; }

    public EndpointSettings? EndpointConfig { get; init; }
}

/// <summary>The body of <c>POST /networks/{id}/disconnect</c>.</summary>
public sealed record NetworkDisconnectParameters
{
    public required string Container { get; init; }

    public bool? Force { get; init; }
}

using System.Net;

namespace Faas.Docker;

/// <summary>Container calls: create, start, stop, kill, remove, inspect, list, wait, logs, pause.</summary>
public sealed class ContainerOperations
{
    private readonly DockerTransport _transport;

    internal ContainerOperations(DockerTransport transport) => _transport = transport;

    /// <summary>
    /// <c>POST /containers/create</c>. Throws <see cref="DockerNotFoundException"/> when the image is missing
    /// (nothing is pulled) and <see cref="DockerConflictException"/> when the name is taken.
    /// </summary>
    public Task<CreateContainerResponse> CreateContainerAsync(CreateContainerParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var query = new QueryString().Add("name", parameters.Name);
        return _transport.SendJsonAsync(
            HttpMethod.Post,
            "/containers/create" + query,
            versioned: true,
            DockerTransport.JsonContent(parameters, DockerJsonContext.Default.CreateContainerParameters),
            DockerJsonContext.Default.CreateContainerResponse,
            _transport.RequestTimeout,
            "Create container",
            cancellationToken);
    }

    /// <summary><c>POST /containers/{id}/start</c>; false when it was already running.</summary>
    public async Task<bool> StartContainerAsync(string id, CancellationToken cancellationToken = default)
    {
        var status = await _transport.SendNoContentAsync(HttpMethod.Post, ContainerPath(id, "/start"), null, _transport.RequestTimeout, "Start container", cancellationToken).ConfigureAwait(false);
        return status != HttpStatusCode.NotModified;
    }

    /// <summary>
    /// <c>POST /containers/{id}/stop</c>: the stop signal, then SIGKILL after <paramref name="timeout"/>
    /// (the container's own stop timeout when null). False when it was already stopped.
    /// </summary>
    public async Task<bool> StopContainerAsync(string id, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var seconds = timeout is { } t ? (long)Math.Ceiling(t.TotalSeconds) : (long?)null;
        var query = new QueryString().Add("t", seconds);
        var requestTimeout = _transport.RequestTimeout == Timeout.InfiniteTimeSpan
            ? Timeout.InfiniteTimeSpan
            : _transport.RequestTimeout + (timeout ?? TimeSpan.FromSeconds(10));
        var status = await _transport.SendNoContentAsync(HttpMethod.Post, ContainerPath(id, "/stop") + query, null, requestTimeout, "Stop container", cancellationToken).ConfigureAwait(false);
        return status != HttpStatusCode.NotModified;
    }

    /// <summary><c>POST /containers/{id}/kill</c> with <paramref name="signal"/> (SIGKILL when null). Conflict when not running.</summary>
    public Task KillContainerAsync(string id, string? signal = null, CancellationToken cancellationToken = default)
    {
        var query = new QueryString().Add("signal", signal);
        return _transport.SendNoContentAsync(HttpMethod.Post, ContainerPath(id, "/kill") + query, null, _transport.RequestTimeout, "Kill container", cancellationToken);
    }

    /// <summary><c>DELETE /containers/{id}</c>; <paramref name="force"/> kills a running container first.</summary>
    public Task RemoveContainerAsync(string id, bool force = false, bool removeVolumes = false, CancellationToken cancellationToken = default)
    {
        var query = new QueryString().Add("force", force ? true : null).Add("v", removeVolumes ? true : null);
        return _transport.SendNoContentAsync(HttpMethod.Delete, ContainerPath(id, "") + query, null, _transport.RequestTimeout, "Remove container", cancellationToken);
    }

    /// <summary><c>GET /containers/{id}/json</c>.</summary>
    public Task<ContainerInspectResponse> InspectContainerAsync(string id, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync(ContainerPath(id, "/json"), versioned: true, DockerJsonContext.Default.ContainerInspectResponse, "Inspect container", cancellationToken);

    /// <summary><c>GET /containers/json</c>, e.g. every container carrying a label.</summary>
    public Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(ContainerListParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var filters = new Dictionary<string, IList<string>>();
        foreach (var (name, values) in parameters.Filters ?? new Dictionary<string, IList<string>>())
        {
            filters[name] = [.. values];
        }

        if (parameters.Labels is { Count: > 0 } labels)
        {
            filters["label"] = [.. filters.GetValueOrDefault("label") ?? [], .. labels];
        }

        var query = new QueryString().Add("all", parameters.All ? true : null).AddFilters(filters);
        return _transport.SendJsonAsync("/containers/json" + query, versioned: true, DockerJsonContext.Default.IReadOnlyListContainerSummary, "List containers", cancellationToken);
    }

    /// <summary>
    /// <c>POST /containers/{id}/wait</c>: completes when the container stops, with its exit code.
    /// No request timeout applies; bound it with <paramref name="cancellationToken"/>.
    /// </summary>
    public Task<ContainerWaitResponse> WaitContainerAsync(string id, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync(
            HttpMethod.Post, ContainerPath(id, "/wait"), versioned: true, null, DockerJsonContext.Default.ContainerWaitResponse, Timeout.InfiniteTimeSpan, "Wait container", cancellationToken);

    /// <summary>
    /// <c>GET /containers/{id}/logs</c> as lines, stdout and stderr told apart (a TTY container's output is
    /// all stdout). With <see cref="ContainerLogsParameters.Follow"/> the sequence runs until the container
    /// stops or the caller cancels; cancelling ends it without an exception.
    /// </summary>
    public async IAsyncEnumerable<LogLine> GetContainerLogsAsync(
        string id, ContainerLogsParameters parameters, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);

        // API 1.41 labels both formats raw-stream, so the container's TTY setting decides how to read.
        bool tty;
        try
        {
            var container = await InspectContainerAsync(id, cancellationToken).ConfigureAwait(false);
            tty = container.Config?.Tty ?? false;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            yield break;
        }

        var query = new QueryString()
            .Add("stdout", parameters.Stdout)
            .Add("stderr", parameters.Stderr)
            .Add("follow", parameters.Follow ? true : null)
            .Add("tail", parameters.Tail is { } tail ? tail.ToString(System.Globalization.CultureInfo.InvariantCulture) : null)
            .Add("since", parameters.Since)
            .Add("timestamps", parameters.Timestamps ? true : null);

        var lines = StreamPump.RunAsync(
            _transport,
            "Container logs",
            token => _transport.SendAsync(HttpMethod.Get, ContainerPath(id, "/logs") + query, versioned: true, null, Timeout.InfiniteTimeSpan, "Container logs", token),
            stream => new LogFrameReader(stream, multiplexed: !tty, parameters.Timestamps),
            (reader, token) => reader.ReadAsync(token),
            cancellationToken);
        await foreach (var line in lines.ConfigureAwait(false))
        {
            yield return line;
        }
    }

    /// <summary><c>POST /containers/{id}/pause</c> (cgroup freezer).</summary>
    public Task PauseContainerAsync(string id, CancellationToken cancellationToken = default) =>
        _transport.SendNoContentAsync(HttpMethod.Post, ContainerPath(id, "/pause"), null, _transport.RequestTimeout, "Pause container", cancellationToken);

    /// <summary><c>POST /containers/{id}/unpause</c>.</summary>
    public Task UnpauseContainerAsync(string id, CancellationToken cancellationToken = default) =>
        _transport.SendNoContentAsync(HttpMethod.Post, ContainerPath(id, "/unpause"), null, _transport.RequestTimeout, "Unpause container", cancellationToken);

    private static string ContainerPath(string id, string suffix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return $"/containers/{Uri.EscapeDataString(id)}{suffix}";
    }
}

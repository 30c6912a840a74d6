using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Faas.Kubernetes;

/// <summary>Pods, plus their logs.</summary>
public sealed class PodClient : NamespacedResourceClient<Pod>
{
    internal PodClient(KubernetesTransport transport, ResourceDefinition<Pod> definition, ILogger logger)
        : base(transport, definition, logger)
    {
    }

    /// <summary>
    /// Opens a container's log as a stream of text lines (with RFC 3339 timestamps when asked). With
    /// <see cref="PodLogOptions.Follow"/>, the stream stays open until the container stops or the token fires.
    /// The server answers 400 for a pod that has not been scheduled to a node yet.
    /// </summary>
    public async Task<Stream> ReadLogsAsync(string @namespace, string name, PodLogOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PodLogOptions();
        var query = new QueryBuilder();
        query.Add("container", options.Container);
        query.Add("follow", options.Follow ? "true" : null);
        query.Add("tailLines", options.TailLines?.ToString(CultureInfo.InvariantCulture));
        query.Add("sinceSeconds", options.SinceSeconds?.ToString(CultureInfo.InvariantCulture));
        query.Add("timestamps", options.Timestamps ? "true" : null);
        var response = await Transport.OpenStreamAsync(Definition.ItemPath(@namespace, name) + "/log" + query,
            $"read logs of {Definition.Describe(@namespace, name)}", cancellationToken).ConfigureAwait(false);
        try
        {
            return new ResponseStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), response);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}

public sealed record PodLogOptions
{
    /// <summary>Required when the pod has more than one container.</summary>
    public string? Container { get; init; }

    public bool Follow { get; init; }

    public long? TailLines { get; init; }

    public long? SinceSeconds { get; init; }

    public bool Timestamps { get; init; }
}

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Faas.Kubernetes;

/// <summary>Deployments, plus their <c>/scale</c> subresource (which needs only the scale permission).</summary>
public sealed class DeploymentClient : NamespacedResourceClient<Deployment>
{
    internal DeploymentClient(KubernetesTransport transport, ResourceDefinition<Deployment> definition, ILogger logger)
        : base(transport, definition, logger)
    {
    }

    public Task<Scale> GetScaleAsync(string @namespace, string name, CancellationToken cancellationToken = default) =>
        Transport.SendAsync(HttpMethod.Get, ScalePath(@namespace, name), null, KubernetesJsonContext.Default.Scale,
            $"get scale of {Definition.Describe(@namespace, name)}", cancellationToken);

    /// <summary>Sets the desired replicas through the subresource (a merge patch, so no resourceVersion is needed).</summary>
    public Task<Scale> ScaleAsync(string @namespace, string name, int replicas, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(replicas);
        var content = new StringContent($"{{\"spec\":{{\"replicas\":{replicas}}}}}", Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/merge-patch+json");
        return Transport.SendAsync(HttpMethod.Patch, ScalePath(@namespace, name), content, KubernetesJsonContext.Default.Scale,
            $"scale {Definition.Describe(@namespace, name)} to {replicas}", cancellationToken);
    }

    /// <summary>Replaces the Scale object; with its resourceVersion set, a concurrent change fails with a conflict.</summary>
    public Task<Scale> ReplaceScaleAsync(string @namespace, string name, Scale scale, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scale);
        scale.ApiVersion ??= "autoscaling/v1";
        scale.Kind ??= "Scale";
        scale.Metadata.Name ??= name;
        scale.Metadata.Namespace ??= @namespace;
        var body = JsonContent(JsonSerializer.SerializeToUtf8Bytes(scale, KubernetesJsonContext.Default.Scale));
        return Transport.SendAsync(HttpMethod.Put, ScalePath(@namespace, name), body, KubernetesJsonContext.Default.Scale,
            $"replace scale of {Definition.Describe(@namespace, name)}", cancellationToken);
    }

    private string ScalePath(string ns, string name) => Definition.ItemPath(ns, name) + "/scale";
}

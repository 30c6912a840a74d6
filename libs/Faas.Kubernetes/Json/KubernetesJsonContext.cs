using System.Text.Json.Serialization;

namespace Faas.Kubernetes;

/// <summary>
/// Source-generated serializers for every body the client sends or reads: camelCase names as the API
/// uses them, nulls left out so a create or replace sends only what was set.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Status))]
[JsonSerializable(typeof(DeleteOptions))]
[JsonSerializable(typeof(Namespace))]
[JsonSerializable(typeof(KubernetesList<Namespace>))]
[JsonSerializable(typeof(Deployment))]
[JsonSerializable(typeof(KubernetesList<Deployment>))]
[JsonSerializable(typeof(Scale))]
[JsonSerializable(typeof(Service))]
[JsonSerializable(typeof(KubernetesList<Service>))]
[JsonSerializable(typeof(Pod))]
[JsonSerializable(typeof(KubernetesList<Pod>))]
[JsonSerializable(typeof(Secret))]
[JsonSerializable(typeof(KubernetesList<Secret>))]
[JsonSerializable(typeof(Endpoints))]
[JsonSerializable(typeof(KubernetesList<Endpoints>))]
[JsonSerializable(typeof(Event))]
[JsonSerializable(typeof(KubernetesList<Event>))]
internal sealed partial class KubernetesJsonContext : JsonSerializerContext
{
}

using System.Text.Json.Serialization;

namespace Faas.Docker;

/// <summary>
/// Source-generated serializers for every body the client sends or reads. Property names are the
/// C# names, which match the Engine's PascalCase; reads are case-insensitive because a few Engine
/// objects (events, build lines) use lower-case names.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(VersionResponse))]
[JsonSerializable(typeof(ImageInspectResponse))]
[JsonSerializable(typeof(BuildProgress))]
[JsonSerializable(typeof(RegistryAuth))]
[JsonSerializable(typeof(IReadOnlyList<ImageDeleteResponse>))]
[JsonSerializable(typeof(CreateContainerParameters))]
[JsonSerializable(typeof(CreateContainerResponse))]
[JsonSerializable(typeof(ContainerInspectResponse))]
[JsonSerializable(typeof(IReadOnlyList<ContainerSummary>))]
[JsonSerializable(typeof(ContainerWaitResponse))]
[JsonSerializable(typeof(NetworkCreateParameters))]
[JsonSerializable(typeof(NetworkCreateResponse))]
[JsonSerializable(typeof(NetworkResponse))]
[JsonSerializable(typeof(IReadOnlyList<NetworkResponse>))]
[JsonSerializable(typeof(NetworkConnectParameters))]
[JsonSerializable(typeof(NetworkDisconnectParameters))]
[JsonSerializable(typeof(DockerEvent))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, IList<string>>))]
internal sealed partial class DockerJsonContext : JsonSerializerContext
{
}

using System.Text.Json.Serialization;
using Faas.Contracts.Endpoints;
using Faas.Contracts.Functions;
using Faas.Contracts.Logs;
using Faas.Contracts.Secrets;
using Faas.Contracts.System;

namespace Faas.Contracts.Json;

/// <summary>
/// Source-generated serializers for every wire type. Null members are omitted, as Go omits
/// <c>omitempty</c> fields; value types that Go omits when zero carry their own ignore condition.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true,
    AllowTrailingCommas = true,
    ReadCommentHandling = global::System.Text.Json.JsonCommentHandling.Skip)]
[JsonSerializable(typeof(FunctionDeployment))]
[JsonSerializable(typeof(FunctionStatus))]
[JsonSerializable(typeof(List<FunctionStatus>))]
[JsonSerializable(typeof(DeleteFunctionRequest))]
[JsonSerializable(typeof(ScaleServiceRequest))]
[JsonSerializable(typeof(Secret))]
[JsonSerializable(typeof(List<Secret>))]
[JsonSerializable(typeof(ProviderInfo))]
[JsonSerializable(typeof(GatewayInfo))]
[JsonSerializable(typeof(FunctionNamespace))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(LogMessage))]
[JsonSerializable(typeof(EndpointSnapshot))]
[JsonSerializable(typeof(ErrorBody))]
public sealed partial class FaasJsonContext : JsonSerializerContext;

/// <summary>JSON error body for our own (non-OpenFaaS) endpoints; OpenFaaS endpoints answer plain text.</summary>
public sealed record ErrorBody
{
    [JsonPropertyName("error")]
    public string Error { get; init; } = "";
}

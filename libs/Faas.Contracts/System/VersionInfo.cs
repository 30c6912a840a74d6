using System.Text.Json.Serialization;

namespace Faas.Contracts.System;

public sealed record VersionInfo
{
    [JsonPropertyName("commit_message")]
    public string? CommitMessage { get; init; }

    [JsonPropertyName("sha")]
    public string Sha { get; init; } = "";

    [JsonPropertyName("release")]
    public string Release { get; init; } = "";
}

/// <summary>What the provider (controller) says of itself on <c>GET /system/info</c>.</summary>
public sealed record ProviderInfo
{
    [JsonPropertyName("provider")]
    public string Provider { get; init; } = "";

    [JsonPropertyName("version")]
    public VersionInfo? Version { get; init; }

    [JsonPropertyName("orchestration")]
    public string Orchestration { get; init; } = "";
}

/// <summary>The gateway's <c>GET /system/info</c> body: the provider's info wrapped with the gateway's own.</summary>
public sealed record GatewayInfo
{
    [JsonPropertyName("provider")]
    public ProviderInfo? Provider { get; init; }

    [JsonPropertyName("version")]
    public VersionInfo? Version { get; init; }

    [JsonPropertyName("arch")]
    public string Arch { get; init; } = "";
}

/// <summary>A namespace as <c>/system/namespace/{name}</c> returns it.</summary>
public sealed record FunctionNamespace
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; init; }

    [JsonPropertyName("labels")]
    public Dictionary<string, string>? Labels { get; init; }
}

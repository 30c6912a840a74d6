using System.Text.Json.Serialization;

namespace Faas.Docker;

/// <summary>The fields of <c>GET /images/{name}/json</c> the platform uses.</summary>
public sealed record ImageInspectResponse
{
    public required string Id { get; init; }

    public IReadOnlyList<string>? RepoTags { get; init; }

    public DateTimeOffset? Created { get; init; }

    public long Size { get; init; }

    public string? Os { get; init; }

    public string? Architecture { get; init; }

    public ImageConfig? Config { get; init; }
}

/// <summary>The run configuration baked into an image.</summary>
public sealed record ImageConfig
{
    public IReadOnlyList<string>? Cmd { get; init; }

    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyList<string>? Env { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public IReadOnlyDictionary<string, EmptyObject>? ExposedPorts { get; init; }

    public string? User { get; init; }

    public string? WorkingDir { get; init; }
}

/// <summary>Query parameters of <c>POST /build</c>.</summary>
public sealed record ImageBuildParameters
{
    /// <summary>Names to tag the result with (<c>t</c>), e.g. <c>fn-echo:latest</c>.</summary>
    public IList<string> Tags { get; init; } = [];

    /// <summary>Path of the Dockerfile inside the context; the daemon's default is <c>Dockerfile</c>.</summary>
    public string? Dockerfile { get; init; }

    /// <summary>Values for <c>ARG</c>s (<c>buildargs</c>).</summary>
    public IDictionary<string, string>? BuildArgs { get; init; }

    /// <summary>Labels added to the image (<c>labels</c>).</summary>
    public IDictionary<string, string>? Labels { get; init; }

    /// <summary>Remove intermediate containers after a successful build (<c>rm</c>). Default true.</summary>
    public bool Remove { get; init; } = true;

    /// <summary>Remove intermediate containers even when the build fails (<c>forcerm</c>). Default true.</summary>
    public bool ForceRemove { get; init; } = true;

    /// <summary>Always try to pull newer base images (<c>pull</c>). Default false.</summary>
    public bool Pull { get; init; }

    /// <summary>Do not use the build cache (<c>nocache</c>). Default false.</summary>
    public bool NoCache { get; init; }
}

/// <summary>One line of a build (or import) stream.</summary>
public sealed record BuildProgress
{
    /// <summary>Build output text, e.g. <c>Step 1/3 : FROM base</c>; may lack a trailing newline.</summary>
    public string? Stream { get; init; }

    public string? Status { get; init; }

    public string? Progress { get; init; }

    public string? Id { get; init; }

    /// <summary>Set on the line that reports a failed build; the client throws <see cref="DockerBuildException"/> for it.</summary>
    public string? Error { get; init; }

    public BuildErrorDetail? ErrorDetail { get; init; }

    /// <summary>Extra data; for a classic build, the built image's id.</summary>
    public BuildAux? Aux { get; init; }
}

public sealed record BuildErrorDetail
{
    public int? Code { get; init; }

    public string? Message { get; init; }
}

public sealed record BuildAux
{
    [JsonPropertyName("ID")]
    public string? Id { get; init; }

    /// <summary>On a push stream: the pushed tag.</summary>
    public string? Tag { get; init; }

    /// <summary>On a push stream: the manifest digest the registry stored (<c>sha256:...</c>).</summary>
    public string? Digest { get; init; }

    /// <summary>On a push stream: the manifest's size in bytes.</summary>
    public long? Size { get; init; }
}

/// <summary>
/// Credentials for a registry, sent to the daemon in the <c>X-Registry-Auth</c> header (base64url JSON).
/// </summary>
public sealed record RegistryAuth
{
    [JsonPropertyName("username")]
    public string? Username { get; init; }

    [JsonPropertyName("password")]
    public string? Password { get; init; }

    /// <summary>The registry host, e.g. <c>registry.example.com</c> or <c>127.0.0.1:5000</c>.</summary>
    [JsonPropertyName("serveraddress")]
    public string? ServerAddress { get; init; }

    /// <summary>A bearer refresh token instead of a password (from <c>identitytoken</c> in config.json).</summary>
    [JsonPropertyName("identitytoken")]
    public string? IdentityToken { get; init; }
}

/// <summary>Query parameters of <c>POST /images/create?fromSrc=-</c> (import a root filesystem tar).</summary>
public sealed record ImageImportParameters
{
    /// <summary>Repository to name the image (<c>repo</c>); it may include a tag.</summary>
    public string? Repository { get; init; }

    public string? Tag { get; init; }

    /// <summary>Commit message (<c>message</c>).</summary>
    public string? Message { get; init; }

    /// <summary>Dockerfile instructions to apply (<c>changes</c>), e.g. <c>CMD ["sh"]</c>.</summary>
    public IList<string>? Changes { get; init; }
}

/// <summary>One entry of <c>DELETE /images/{name}</c>'s answer.</summary>
public sealed record ImageDeleteResponse
{
    public string? Untagged { get; init; }

    public string? Deleted { get; init; }
}

/// <summary>An empty JSON object, the value type of maps such as <c>ExposedPorts</c> (<c>{"8080/tcp": {}}</c>).</summary>
public sealed record EmptyObject
{
    public static EmptyObject Instance { get; } = new();
}

namespace Faas.Cli.Gateway;

/// <summary>Parameters of <c>GET /system/logs</c>.</summary>
public sealed record LogRequest(string Name)
{
    public string? Namespace { get; init; }

    public string? Instance { get; init; }

    public bool Follow { get; init; }

    public DateTimeOffset? Since { get; init; }

    /// <summary>Last N lines; null, 0 or negative for all.</summary>
    public int? Tail { get; init; }
}

/// <summary>A call to <c>/function/&lt;name[.ns]&gt;</c> or <c>/async-function/...</c>.</summary>
public sealed record InvokeRequest(string Function)
{
    public string Method { get; init; } = "POST";

    public bool Async { get; init; }

    public string ContentType { get; init; } = "text/plain";

    public byte[]? Body { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Query { get; init; } = [];

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
}

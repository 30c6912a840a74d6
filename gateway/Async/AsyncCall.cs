using System.Text.Json;
using System.Text.Json.Serialization;

namespace Faas.Gateway.Async;

/// <summary>
/// What the gateway stores for one async call. Travels as the <see cref="AsyncMessages.CallHeader"/>
/// NATS header (base64 JSON); the request body is the message payload, so a body close to the
/// server's max_payload still fits.
/// </summary>
public sealed record AsyncCall
{
    public required string CallId { get; init; }

    public required string Function { get; init; }

    public required string Namespace { get; init; }

    public string Method { get; init; } = "POST";

    /// <summary>The path after the function name, at least <c>/</c>.</summary>
    public string Path { get; init; } = "/";

    /// <summary>The query string including <c>?</c>, or empty.</summary>
    public string Query { get; init; } = "";

    public Dictionary<string, string[]> Headers { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    public string? CallbackUrl { get; init; }

    public DateTimeOffset EnqueuedAt { get; init; }

    /// <summary>Set on dead letters: why the call gave up.</summary>
    public CallFailure? Failure { get; init; }
}

/// <summary>The last failure of a call that ran out of attempts.</summary>
public sealed record CallFailure(int Attempts, int? StatusCode, string? Error, DateTimeOffset FailedAt)
{
    /// <summary>The last response's body, base64 in JSON.</summary>
    public byte[]? Body { get; init; }
}

/// <summary>
/// The status of a call kept in the <c>faas-calls</c> bucket and answered by <c>GET /async-function/{id}</c>:
/// queued → running → succeeded | failed, or queued → cancelled (<c>DELETE /async-function/{id}</c>).
/// </summary>
public sealed record CallStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public required string CallId { get; init; }

    public required string Function { get; init; }

    public required string Status { get; init; }

    public int Attempts { get; init; }

    public int? LastStatusCode { get; init; }

    public string? Error { get; init; }

    public string? CallbackError { get; init; }

    public DateTimeOffset EnqueuedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }
}

/// <summary>One entry of <c>GET /system/async/dead-letters</c>.</summary>
public sealed record DeadLetter(string CallId, string Function, string Method, string Path, string? CallbackUrl, DateTimeOffset EnqueuedAt, CallFailure? Failure, ulong Sequence);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AsyncCall))]
[JsonSerializable(typeof(CallStatus))]
[JsonSerializable(typeof(List<DeadLetter>))]
[JsonSerializable(typeof(RedriveResult))]
internal sealed partial class AsyncJsonContext : JsonSerializerContext;

/// <summary>Answer of a redrive.</summary>
public sealed record RedriveResult(List<string> Redriven);

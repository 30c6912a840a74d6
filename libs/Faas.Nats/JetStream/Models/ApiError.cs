using System.Text.Json.Serialization;

namespace Faas.Nats.JetStream.Models;

/// <summary>The <c>error</c> object of a JetStream API response.</summary>
public sealed record ApiError
{
    /// <summary>HTTP-like status, e.g. 404 or 400.</summary>
    [JsonPropertyName("code")]
    public int Code { get; init; }

    /// <summary>JetStream's specific error code, e.g. 10059 (stream not found) or 10071 (wrong last sequence).</summary>
    [JsonPropertyName("err_code")]
    public int ErrCode { get; init; }

    [JsonPropertyName("description")]
    public string? Description { get; init; }
}

/// <summary>Well-known <see cref="ApiError.ErrCode"/> values.</summary>
public static class JSErrorCodes
{
    public const int ConsumerNotFound = 10014;
    public const int NoMessageFound = 10037;
    public const int StreamNotFound = 10059;
    public const int StreamWrongLastSequence = 10071;
}

internal sealed record ApiErrorEnvelope
{
    [JsonPropertyName("error")]
    public ApiError? Error { get; init; }
}

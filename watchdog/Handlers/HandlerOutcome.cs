using System.Text;

namespace Faas.Watchdog.Handlers;

/// <summary>What a handler call produced, before it is written to the response.</summary>
internal sealed class HandlerOutcome
{
    public const string PlainText = "text/plain; charset=utf-8";

    public required int StatusCode { get; init; }

    public string? ContentType { get; init; }

    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>Copied to the client after the headers, then disposed; wins over <see cref="Body"/>.</summary>
    public Stream? BodyStream { get; init; }

    public static HandlerOutcome Ok(byte[] body, string contentType) =>
        new() { StatusCode = StatusCodes.Status200OK, ContentType = contentType, Body = body };

    public static HandlerOutcome Text(int statusCode, string message) =>
        new() { StatusCode = statusCode, ContentType = PlainText, Body = Encoding.UTF8.GetBytes(message) };
}

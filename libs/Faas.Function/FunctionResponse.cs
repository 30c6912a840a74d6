using System.Text;
using System.Text.Json;

namespace Faas.Function;

/// <summary>What an <see cref="IHttpFunction"/> returns: status, headers and a body.</summary>
public sealed class FunctionResponse
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public int StatusCode { get; init; } = 200;

    public Dictionary<string, string> Headers { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The body; empty when null.</summary>
    public byte[]? Body { get; init; }

    /// <summary>A stream to copy to the client after the headers (wins over <see cref="Body"/>); disposed by the watchdog.</summary>
    public Stream? BodyStream { get; init; }

    public static FunctionResponse Text(string text, int statusCode = 200, string contentType = "text/plain; charset=utf-8") => new()
    {
        StatusCode = statusCode,
        Body = Encoding.UTF8.GetBytes(text),
        Headers = new(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = contentType },
    };

    public static FunctionResponse Json<T>(T value, int statusCode = 200) => new()
    {
        StatusCode = statusCode,
        Body = JsonSerializer.SerializeToUtf8Bytes(value, JsonOptions),
        Headers = new(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = "application/json" },
    };

    public static FunctionResponse Status(int statusCode) => new() { StatusCode = statusCode };
}

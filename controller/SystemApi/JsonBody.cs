using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Faas.Controller.SystemApi;

/// <summary>Reads a JSON request body; a malformed body is a message for a 400, never an exception.</summary>
internal static class JsonBody
{
    public static async Task<(T? Value, string? Error)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var value = await JsonSerializer.DeserializeAsync(request.Body, type, cancellationToken);
            return value is null ? (null, "the request body is required: send a JSON object") : (value, null);
        }
        catch (JsonException e)
        {
            return (null, "invalid JSON in the request body: " + e.Message);
        }
    }
}

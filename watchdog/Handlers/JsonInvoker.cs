using System.Text.Json;
using Faas.Function;

namespace Faas.Watchdog.Handlers;

/// <summary>
/// <see cref="IJsonFunction{TRequest, TResponse}"/>: the body is deserialized with web defaults
/// (camelCase, case-insensitive); a malformed body is answered 400 before the handler runs.
/// </summary>
internal sealed class JsonInvoker<TRequest, TResponse>(IJsonFunction<TRequest, TResponse> handler) : HandlerInvoker
{
    public const string ApplicationJson = "application/json";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
    private static readonly string Expected = typeof(TRequest).Name;

    public override HandlerShape Shape => HandlerShape.Json;

    public override async Task<HandlerOutcome> InvokeAsync(HttpContext http, FunctionContext context, CancellationToken cancellationToken)
    {
        if (http.Request.ContentLength == 0)
        {
            return HandlerOutcome.Text(StatusCodes.Status400BadRequest, $"request body is empty; expected JSON for {Expected}");
        }

        TRequest? input;
        try
        {
            input = await JsonSerializer.DeserializeAsync<TRequest>(http.Request.Body, Options, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return HandlerOutcome.Text(StatusCodes.Status400BadRequest, $"request body is not valid JSON for {Expected}: {e.Message}");
        }

        if (input is null)
        {
            return HandlerOutcome.Text(StatusCodes.Status400BadRequest, $"request body is JSON null; expected JSON for {Expected}");
        }

        var result = await handler.HandleAsync(input, context, cancellationToken).ConfigureAwait(false);
        return HandlerOutcome.Ok(JsonSerializer.SerializeToUtf8Bytes(result, Options), ApplicationJson);
    }
}

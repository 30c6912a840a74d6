using Faas.Function;

namespace Faas.Watchdog.Handlers;

/// <summary><see cref="IHttpFunction"/>: the handler sees the whole request and chooses status, headers and body.</summary>
internal sealed class HttpInvoker(IHttpFunction handler) : HandlerInvoker
{
    public override HandlerShape Shape => HandlerShape.Http;

    public override async Task<HandlerOutcome> InvokeAsync(HttpContext http, FunctionContext context, CancellationToken cancellationToken)
    {
        var request = http.Request;
        var query = new Dictionary<string, string[]>(request.Query.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, values) in request.Query)
        {
            query[key] = Array.ConvertAll(values.ToArray(), v => v ?? string.Empty);
        }

        var path = request.Path.HasValue ? request.Path.Value! : "/";
        var functionRequest = new FunctionRequest(request.Method, path, request.QueryString.Value ?? string.Empty, query, context.Headers, request.Body);

        var response = await handler.HandleAsync(functionRequest, context, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidHandlerResultException("handler returned a null FunctionResponse");
        if (response.StatusCode is < 100 or > 599)
        {
            if (response.BodyStream is not null)
            {
                await response.BodyStream.DisposeAsync().ConfigureAwait(false);
            }

            throw new InvalidHandlerResultException($"handler returned status {response.StatusCode}; expected 100-599");
        }

        return new HandlerOutcome
        {
            StatusCode = response.StatusCode,
            Headers = response.Headers,
            Body = response.Body ?? ReadOnlyMemory<byte>.Empty,
            BodyStream = response.BodyStream,
        };
    }
}

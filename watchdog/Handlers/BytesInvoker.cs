using Faas.Function;

namespace Faas.Watchdog.Handlers;

/// <summary><see cref="IBytesFunction"/>: raw body in, 200 <c>application/octet-stream</c> out.</summary>
internal sealed class BytesInvoker(IBytesFunction handler) : HandlerInvoker
{
    public const string OctetStream = "application/octet-stream";

    public override HandlerShape Shape => HandlerShape.Bytes;

    public override async Task<HandlerOutcome> InvokeAsync(HttpContext http, FunctionContext context, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadAllAsync(http.Request, cancellationToken).ConfigureAwait(false);
        var result = await handler.HandleAsync(body, context, cancellationToken).ConfigureAwait(false);
        return HandlerOutcome.Ok(result ?? [], OctetStream);
    }
}

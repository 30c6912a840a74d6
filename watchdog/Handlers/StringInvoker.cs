using System.Text;
using Faas.Function;

namespace Faas.Watchdog.Handlers;

/// <summary><see cref="IStringFunction"/>: UTF-8 body in, 200 <c>text/plain</c> out.</summary>
internal sealed class StringInvoker(IStringFunction handler) : HandlerInvoker
{
    public override HandlerShape Shape => HandlerShape.String;

    public override async Task<HandlerOutcome> InvokeAsync(HttpContext http, FunctionContext context, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadAllAsync(http.Request, cancellationToken).ConfigureAwait(false);
        var result = await handler.HandleAsync(Encoding.UTF8.GetString(body), context, cancellationToken).ConfigureAwait(false);
        return HandlerOutcome.Ok(Encoding.UTF8.GetBytes(result ?? string.Empty), HandlerOutcome.PlainText);
    }
}

using Faas.Function;

namespace Faas.Watchdog.Handlers;

/// <summary>
/// Calls one handler shape: maps the HTTP request to the handler's input and its result to a
/// <see cref="HandlerOutcome"/>. Built once at start-up, so a call does no reflection.
/// </summary>
internal abstract class HandlerInvoker
{
    public abstract HandlerShape Shape { get; }

    public abstract Task<HandlerOutcome> InvokeAsync(HttpContext http, FunctionContext context, CancellationToken cancellationToken);
}

/// <summary>The handler broke the SDK contract (null result, impossible status): answered 500 like a throw.</summary>
internal sealed class InvalidHandlerResultException(string message) : Exception(message);

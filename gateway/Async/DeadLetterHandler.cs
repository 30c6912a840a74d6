using System.Globalization;
using System.Text.Json;
using Faas.Contracts.Naming;
using Faas.Gateway.Http;
using Faas.Nats;

namespace Faas.Gateway.Async;

/// <summary>
/// <c>GET /system/async/dead-letters</c> and <c>POST /system/async/dead-letters/{callId|all}/redrive</c>
/// (under /system basic auth).
/// </summary>
public sealed partial class DeadLetterHandler(AsyncQueue queue, AsyncHandler gate, ILogger<DeadLetterHandler> logger)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
    public const string AllCalls = "all";

    public async Task ListAsync(HttpContext context)
    {
        if (await gate.RejectUnlessReadyAsync(context).ConfigureAwait(false))
        {
            return;
        }

        var limit = DefaultLimit;
        var limitText = context.Request.Query["limit"].ToString();
        if (limitText.Length > 0 && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            await GatewayErrors.WriteAsync(context, StatusCodes.Status400BadRequest, $"limit='{limitText}' is not an integer in [1, {MaxLimit}]").ConfigureAwait(false);
            return;
        }

        try
        {
            var letters = await queue.ListDeadLettersAsync(limit, context.RequestAborted).ConfigureAwait(false);
            var list = letters.Select(l => new DeadLetter(
                l.Call.CallId, FunctionNames.Qualified(l.Call.Function, l.Call.Namespace), l.Call.Method, l.Call.Path,
                l.Call.CallbackUrl, l.Call.EnqueuedAt, l.Call.Failure, l.Sequence)).ToList();
            context.Response.ContentType = "application/json; charset=utf-8";
            await JsonSerializer.SerializeAsync(context.Response.Body, list, AsyncJsonContext.Default.ListDeadLetter, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NatsException or TimeoutException)
        {
            await GatewayErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, $"cannot read the dead letters: {e.Message}").ConfigureAwait(false);
        }
    }

    public async Task RedriveAsync(HttpContext context)
    {
        if (await gate.RejectUnlessReadyAsync(context).ConfigureAwait(false))
        {
            return;
        }

        var callId = context.Request.RouteValues[AsyncHandler.CallIdRouteKey]?.ToString() ?? "";
        var redriven = new List<string>();
        try
        {
            if (callId == AllCalls)
            {
                foreach (var (call, body, seq) in await queue.ListDeadLettersAsync(MaxLimit, context.RequestAborted).ConfigureAwait(false))
                {
                    await queue.RedriveAsync(call, body, seq, context.RequestAborted).ConfigureAwait(false);
                    redriven.Add(call.CallId);
                }
            }
            else
            {
                if (!CallIds.IsValid(callId)
                    || await queue.GetDeadLetterAsync(callId, context.RequestAborted).ConfigureAwait(false) is not { } letter)
                {
                    await GatewayErrors.WriteAsync(context, StatusCodes.Status404NotFound, $"call '{callId}' is not in the dead-letter stream").ConfigureAwait(false);
                    return;
                }

                await queue.RedriveAsync(letter.Call, letter.Body, letter.Sequence, context.RequestAborted).ConfigureAwait(false);
                redriven.Add(callId);
            }
        }
        catch (Exception e) when (e is NatsException or TimeoutException)
        {
            await GatewayErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
                $"redrive stopped after {redriven.Count} calls: {e.Message}").ConfigureAwait(false);
            return;
        }

        LogRedriven(logger, redriven.Count);
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, new RedriveResult(redriven), AsyncJsonContext.Default.RedriveResult, context.RequestAborted).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 5401, Level = LogLevel.Information, Message = "Redrove {Count} dead-lettered calls")]
    private static partial void LogRedriven(ILogger logger, int count);
}

using System.Globalization;
using System.Text.Json;
using Faas.Contracts.Json;
using Faas.Contracts.Naming;
using Faas.Controller.Backends;
using Faas.Controller.Configuration;
using Microsoft.Extensions.Primitives;

namespace Faas.Controller.Logs;

public static partial class LogsApi
{
    public const string ContentType = "application/x-ndjson";
    private static readonly byte[] Newline = "\n"u8.ToArray();

    /// <summary><c>GET /system/logs?name=&amp;namespace=&amp;instance=&amp;tail=&amp;follow=&amp;since=</c>: NDJSON <c>LogMessage</c> lines.</summary>
    public static WebApplication MapLogsApi(this WebApplication app)
    {
        app.MapGet("/system/logs", StreamAsync);
        return app;
    }

    /// <summary>
    /// Parses the query as faas-provider does (a repeated key: the last value wins). Null with a
    /// status and message when it is not acceptable: 400 for a missing or invalid name or namespace,
    /// 422 for a value that does not parse.
    /// </summary>
    public static LogQuery? ParseQuery(IQueryCollection query, NamespacePolicy namespaces, out int status, out string error)
    {
        status = StatusCodes.Status200OK;
        error = "";
        var name = Last(query["name"]);
        if (FunctionNames.Validate(name, "name") is { } nameError)
        {
            status = StatusCodes.Status400BadRequest;
            error = nameError + ": /system/logs?name=<function>";
            return null;
        }

        if (namespaces.Resolve(Last(query["namespace"]), out var ns) is { } nsError)
        {
            status = StatusCodes.Status400BadRequest;
            error = nsError;
            return null;
        }

        var errors = new List<string>();
        var tail = 0;
        if (Last(query["tail"]) is { } tailText && !int.TryParse(tailText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out tail))
        {
            errors.Add($"tail '{tailText}' is invalid: use a whole number of lines (0 or less for all)");
        }

        var follow = false;
        if (Last(query["follow"]) is { } followText && !TryParseBool(followText, out follow))
        {
            errors.Add($"follow '{followText}' is invalid: use true or false");
        }

        DateTimeOffset? since = null;
        if (Last(query["since"]) is { } sinceText)
        {
            if (DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            {
                since = parsed;
            }
            else
            {
                errors.Add($"since '{sinceText}' is invalid: use an RFC 3339 time such as 2024-01-02T15:04:05Z");
            }
        }

        if (errors.Count > 0)
        {
            status = StatusCodes.Status422UnprocessableEntity;
            error = string.Join("; ", errors);
            return null;
        }

        var instance = Last(query["instance"]);
        return new LogQuery(name!, ns, instance, tail, since, follow);
    }

    private static async Task StreamAsync(
        HttpContext context,
        IFunctionBackend backend,
        NamespacePolicy namespaces,
        IHostApplicationLifetime lifetime,
        ILogger<LogQuery> logger)
    {
        var query = ParseQuery(context.Request.Query, namespaces, out var status, out var error);
        if (query is null)
        {
            await Results.Text(error, "text/plain", statusCode: status).ExecuteAsync(context);
            return;
        }

        if (await backend.GetAsync(query.Name, query.Namespace, context.RequestAborted) is null)
        {
            await Results.Text($"function '{query.Name}' not found in namespace {query.Namespace}", "text/plain", statusCode: StatusCodes.Status404NotFound).ExecuteAsync(context);
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var cancellationToken = stop.Token;
        var response = context.Response;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache";
        try
        {
            await response.StartAsync(cancellationToken);
            // Headers go out now: a follower of a function with no line yet (no replica running) sees 200 at once.
            await response.Body.FlushAsync(cancellationToken);
            await foreach (var message in backend.ReadLogsAsync(query, cancellationToken))
            {
                await JsonSerializer.SerializeAsync(response.Body, message, FaasJsonContext.Default.LogMessage, cancellationToken);
                await response.Body.WriteAsync(Newline, cancellationToken);
                await response.Body.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.ClientGone(logger, query.Name, query.Namespace);
        }
    }

    private static string? Last(StringValues values) => values.Count == 0 || string.IsNullOrEmpty(values[^1]) ? null : values[^1];

    private static bool TryParseBool(string text, out bool value)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "true" or "1" or "t":
                value = true;
                return true;
            case "false" or "0" or "f":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 500, Level = LogLevel.Debug, Message = "Log stream of {Name}.{Namespace} ended: client disconnected or controller stopping")]
        public static partial void ClientGone(ILogger logger, string name, string @namespace);
    }
}

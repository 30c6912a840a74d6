using Faas.Contracts.Functions;
using Faas.Contracts.Json;
using Faas.Controller.Backends;
using Faas.Controller.Configuration;
using Faas.Controller.Secrets;

namespace Faas.Controller.SystemApi;

/// <summary>The OpenFaaS provider routes for functions, with faas-netes status codes.</summary>
public static partial class ProviderApi
{
    private const string LogCategory = "Faas.Controller.SystemApi";

    public static WebApplicationBuilder AddProviderApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<NamespacePolicy>();
        return builder;
    }

    public static WebApplication MapProviderApi(this WebApplication app)
    {
        app.MapGet("/system/functions", ListAsync);
        app.MapGet("/system/function/{name}", GetAsync);
        app.MapPost("/system/functions", DeployAsync);
        app.MapPut("/system/functions", UpdateAsync);
        app.MapDelete("/system/functions", DeleteAsync);
        app.MapPost("/system/scale-function/{name}", ScaleAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(string? @namespace, IFunctionBackend backend, NamespacePolicy namespaces, CancellationToken cancellationToken)
    {
        if (namespaces.Resolve(@namespace, out var ns) is { } error)
        {
            return BadRequest(error);
        }

        try
        {
            var functions = await backend.ListAsync(ns, cancellationToken);
            return Results.Json(functions.ToList(), FaasJsonContext.Default.ListFunctionStatus);
        }
        catch (BackendException e)
        {
            return Results.Text(e.Result.Message, "text/plain", statusCode: StatusCodeOf(e.Result.Status));
        }
    }

    private static async Task<IResult> GetAsync(string name, string? @namespace, IFunctionBackend backend, NamespacePolicy namespaces, CancellationToken cancellationToken)
    {
        if (namespaces.Resolve(@namespace, out var ns) is { } error)
        {
            return BadRequest(error);
        }

        // OpenFaaS answers an unknown function with 404 and an empty body.
        try
        {
            var status = await backend.GetAsync(name, ns, cancellationToken);
            return status is null ? Results.NotFound() : Results.Json(status, FaasJsonContext.Default.FunctionStatus);
        }
        catch (BackendException e)
        {
            return Results.Text(e.Result.Message, "text/plain", statusCode: StatusCodeOf(e.Result.Status));
        }
    }

    private static async Task<IResult> DeployAsync(HttpRequest request, IFunctionBackend backend, NamespacePolicy namespaces, ISecretStore secrets, ReferenceGate gate, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(LogCategory);
        var (deployment, error) = await JsonBody.ReadAsync(request, FaasJsonContext.Default.FunctionDeployment, cancellationToken);
        if (deployment is null)
        {
            return Rejected(logger, "deploy", error!);
        }

        if (DeploymentValidator.Validate(deployment, namespaces, out var normalized) is { } invalid)
        {
            return Rejected(logger, "deploy", invalid);
        }

        using (await gate.EnterAsync(cancellationToken))
        {
            if (await CheckReferencesAsync(normalized, namespaces, secrets, cancellationToken) is { } missing)
            {
                return Rejected(logger, "deploy", missing);
            }

            return ToResult(logger, "deploy", await backend.DeployAsync(normalized, cancellationToken));
        }
    }

    private static async Task<IResult> UpdateAsync(HttpRequest request, IFunctionBackend backend, NamespacePolicy namespaces, ISecretStore secrets, ReferenceGate gate, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(LogCategory);
        var (deployment, error) = await JsonBody.ReadAsync(request, FaasJsonContext.Default.FunctionDeployment, cancellationToken);
        if (deployment is null)
        {
            return Rejected(logger, "update", error!);
        }

        if (DeploymentValidator.Validate(deployment, namespaces, out var normalized) is { } invalid)
        {
            return Rejected(logger, "update", invalid);
        }

        using (await gate.EnterAsync(cancellationToken))
        {
            if (await CheckReferencesAsync(normalized, namespaces, secrets, cancellationToken) is { } missing)
            {
                return Rejected(logger, "update", missing);
            }

            return ToResult(logger, "update", await backend.UpdateAsync(normalized, cancellationToken));
        }
    }

    private static async Task<IResult> DeleteAsync(HttpRequest request, string? @namespace, IFunctionBackend backend, NamespacePolicy namespaces, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(LogCategory);
        var (body, error) = await JsonBody.ReadAsync(request, FaasJsonContext.Default.DeleteFunctionRequest, cancellationToken);
        if (body is null)
        {
            return Rejected(logger, "delete", error!);
        }

        if (string.IsNullOrWhiteSpace(body.FunctionName))
        {
            return Rejected(logger, "delete", "functionName is required: send {\"functionName\": \"<name>\"}");
        }

        if (namespaces.Resolve(string.IsNullOrWhiteSpace(body.Namespace) ? @namespace : body.Namespace, out var ns) is { } nsError)
        {
            return Rejected(logger, "delete", nsError);
        }

        return ToResult(logger, "delete", await backend.DeleteAsync(body.FunctionName.Trim(), ns, cancellationToken));
    }

    private static async Task<IResult> ScaleAsync(string name, HttpRequest request, string? @namespace, IFunctionBackend backend, NamespacePolicy namespaces, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(LogCategory);
        var (body, error) = await JsonBody.ReadAsync(request, FaasJsonContext.Default.ScaleServiceRequest, cancellationToken);
        if (body is null)
        {
            return Rejected(logger, "scale", error!);
        }

        if (body.Replicas > ScaleLabels.MaxReplicas)
        {
            return Rejected(logger, "scale", $"replicas {body.Replicas} is out of range: use 0 to {ScaleLabels.MaxReplicas}");
        }

        if (namespaces.Resolve(string.IsNullOrWhiteSpace(body.Namespace) ? @namespace : body.Namespace, out var ns) is { } nsError)
        {
            return Rejected(logger, "scale", nsError);
        }

        return ToResult(logger, "scale", await backend.ScaleAsync(name, ns, (int)body.Replicas, cancellationToken));
    }

    /// <summary>
    /// Under the reference gate: the namespace still exists and every listed secret exists in it
    /// (faas-netes answers a missing one with 400 "unable to fetch secrets").
    /// </summary>
    private static async Task<string?> CheckReferencesAsync(FunctionDeployment deployment, NamespacePolicy namespaces, ISecretStore secrets, CancellationToken cancellationToken)
    {
        if (namespaces.Resolve(deployment.Namespace, out var ns) is { } nsError)
        {
            return nsError;
        }

        if (deployment.Secrets is not { Count: > 0 } wanted)
        {
            return null;
        }

        var existing = (await secrets.ListAsync(ns, cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var missing = wanted.Where(s => !existing.Contains(s)).Distinct(StringComparer.Ordinal).ToList();
        return missing.Count == 0
            ? null
            : $"unable to fetch secrets {string.Join(", ", missing)}: no such secret in namespace {ns}; create {(missing.Count > 1 ? "them" : "it")} first (faas-cli secret create {missing[0]} -n {ns})";
    }

    private static IResult ToResult(ILogger logger, string operation, BackendResult result) => result.Status switch
    {
        BackendStatus.Accepted => Results.StatusCode(StatusCodes.Status202Accepted),
        BackendStatus.NotFound => Results.Text(result.Message, "text/plain", statusCode: StatusCodes.Status404NotFound),
        BackendStatus.Conflict => Results.Text(result.Message, "text/plain", statusCode: StatusCodes.Status409Conflict),
        BackendStatus.Unavailable => Results.Text(result.Message, "text/plain", statusCode: StatusCodes.Status503ServiceUnavailable),
        BackendStatus.Forbidden => Results.Text(result.Message, "text/plain", statusCode: StatusCodes.Status403Forbidden),
        _ => Rejected(logger, operation, result.Message),
    };

    private static int StatusCodeOf(BackendStatus status) => status switch
    {
        BackendStatus.NotFound => StatusCodes.Status404NotFound,
        BackendStatus.Conflict => StatusCodes.Status409Conflict,
        BackendStatus.Unavailable => StatusCodes.Status503ServiceUnavailable,
        BackendStatus.Forbidden => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status400BadRequest,
    };

    private static IResult Rejected(ILogger logger, string operation, string message)
    {
        Log.Rejected(logger, operation, message);
        return BadRequest(message);
    }

    private static IResult BadRequest(string message) => Results.Text(message, "text/plain", statusCode: StatusCodes.Status400BadRequest);

    private static partial class Log
    {
        [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Rejected {Operation}: {Reason}")]
        public static partial void Rejected(ILogger logger, string operation, string reason);
    }
}

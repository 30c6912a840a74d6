using Faas.Contracts.Json;
using Faas.Contracts.System;
using Faas.Controller.Backends;
using Faas.Controller.Configuration;
using Faas.Controller.Secrets;
using Faas.Controller.SystemApi;

namespace Faas.Controller.Namespaces;

/// <summary>
/// <c>GET /system/namespaces</c> and <c>/system/namespace/{name}</c> GET/POST/PUT/DELETE (OpenFaaS
/// Enterprise shapes). Creating a namespace opts it in; the default one always exists and cannot be
/// changed or deleted; a namespace that still holds functions or secrets cannot be deleted (409).
/// </summary>
public static partial class NamespacesApi
{
    private const string LogCategory = "Faas.Controller.Namespaces";

    /// <summary>What the OpenFaaS go-sdk adds on create: marks the namespace as one functions may use.</summary>
    public const string OptInKey = "openfaas";

    public static WebApplicationBuilder AddNamespaces(this WebApplicationBuilder builder)
    {
        var options = builder.GetControllerOptions();
        builder.Services.AddSingleton<INamespaceStore>(_ => new FileNamespaceStore(options.StateDir));
        return builder;
    }

    public static WebApplication MapNamespacesApi(this WebApplication app)
    {
        app.MapGet("/system/namespaces", (NamespacePolicy namespaces) =>
            Results.Json(namespaces.All().ToList(), FaasJsonContext.Default.ListString));
        app.MapGet("/system/namespace/{name}", Get);
        app.MapPost("/system/namespace/{name?}", CreateAsync);
        app.MapPut("/system/namespace/{name?}", UpdateAsync);
        app.MapDelete("/system/namespace/{name?}", DeleteAsync);
        return app;
    }

    private static IResult Get(string name, NamespacePolicy namespaces, INamespaceStore store)
    {
        if (name == namespaces.Default)
        {
            return Results.Json(DefaultNamespace(name), FaasJsonContext.Default.FunctionNamespace);
        }

        return store.Get(name) is { } ns
            ? Results.Json(ns, FaasJsonContext.Default.FunctionNamespace)
            : Text(StatusCodes.Status404NotFound, $"namespace '{name}' not found");
    }

    private static async Task<IResult> CreateAsync(string? name, HttpRequest request, NamespacePolicy namespaces, INamespaceStore store, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(LogCategory);
        var (ns, problem) = await ReadAsync(name, request, namespaces, cancellationToken);
        if (problem is { } p)
        {
            return Rejected(logger, "create", p);
        }

        if (ns!.Name == namespaces.Default || !await store.CreateAsync(ns, cancellationToken))
        {
            return Rejected(logger, "create", (StatusCodes.Status409Conflict, $"namespace '{ns.Name}' already exists"));
        }

        Log.Changed(logger, "Created", ns.Name);
        return Results.Json(ns, FaasJsonContext.Default.FunctionNamespace, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> UpdateAsync(string? name, HttpRequest request, NamespacePolicy namespaces, INamespaceStore store, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(LogCategory);
        var (ns, problem) = await ReadAsync(name, request, namespaces, cancellationToken);
        if (problem is { } p)
        {
            return Rejected(logger, "update", p);
        }

        if (!await store.UpdateAsync(ns!, cancellationToken))
        {
            return Rejected(logger, "update", (StatusCodes.Status404NotFound, $"namespace '{ns!.Name}' not found: create it with POST /system/namespace/ (faas-cli namespace create)"));
        }

        Log.Changed(logger, "Updated", ns!.Name);
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> DeleteAsync(
        string? name, HttpRequest request, NamespacePolicy namespaces, INamespaceStore store, IFunctionBackend backend, ISecretStore secrets, ReferenceGate gate, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(LogCategory);
        if (string.IsNullOrEmpty(name))
        {
            // go-sdk style: the name in a JSON body.
            var (body, _) = request.ContentLength is > 0 ? await JsonBody.ReadAsync(request, FaasJsonContext.Default.FunctionNamespace, cancellationToken) : (null, null);
            name = body?.Name;
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            return Rejected(logger, "delete", (StatusCodes.Status400BadRequest, "the namespace name is required: DELETE /system/namespace/<name>"));
        }

        if (name == namespaces.Default)
        {
            return Rejected(logger, "delete", (StatusCodes.Status400BadRequest, $"namespace '{name}' is the default function namespace (function_namespace) and cannot be deleted"));
        }

        if (NamespacePolicy.Reserved.Contains(name))
        {
            // Checked before the store: on Kubernetes these exist, and "not opted in" would be the wrong advice.
            return Rejected(logger, "delete", (StatusCodes.Status400BadRequest, NamespacePolicy.ValidateNewName(name)!));
        }

        using (await gate.EnterAsync(cancellationToken))
        {
            if (store.Get(name) is null)
            {
                return Rejected(logger, "delete", (StatusCodes.Status404NotFound, store.Explain(name) ?? $"namespace '{name}' not found"));
            }

            var functions = (await backend.ListAsync(name, cancellationToken)).Select(f => f.Name).ToList();
            var secretNames = await secrets.ListAsync(name, cancellationToken);
            if (functions.Count > 0 || secretNames.Count > 0)
            {
                var held = new List<string>();
                if (functions.Count > 0)
                {
                    held.Add("functions " + string.Join(", ", functions));
                }

                if (secretNames.Count > 0)
                {
                    held.Add("secrets " + string.Join(", ", secretNames));
                }

                return Rejected(logger, "delete", (StatusCodes.Status409Conflict,
                    $"namespace '{name}' still holds {string.Join(" and ", held)}: remove them first (faas-cli remove / faas-cli secret remove -n {name})"));
            }

            await store.DeleteAsync(name, cancellationToken);
        }

        Log.Changed(logger, "Deleted", name);
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    /// <summary>The body (optional for POST with a name in the path), its name checked against the route's and the reserved list.</summary>
    private static async Task<(FunctionNamespace? Namespace, (int, string)? Problem)> ReadAsync(string? routeName, HttpRequest request, NamespacePolicy namespaces, CancellationToken cancellationToken)
    {
        FunctionNamespace body = new();
        if (request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0))
        {
            var (parsed, error) = await JsonBody.ReadAsync(request, FaasJsonContext.Default.FunctionNamespace, cancellationToken);
            if (parsed is null)
            {
                return (null, (StatusCodes.Status400BadRequest, error!));
            }

            body = parsed;
        }

        var name = string.IsNullOrWhiteSpace(routeName) ? body.Name?.Trim() : routeName.Trim();
        if (!string.IsNullOrWhiteSpace(routeName) && !string.IsNullOrWhiteSpace(body.Name) && body.Name.Trim() != name)
        {
            return (null, (StatusCodes.Status400BadRequest, $"the namespace in the path ('{name}') and in the body ('{body.Name}') differ: give one name"));
        }

        if (name == namespaces.Default && request.Method == HttpMethods.Put)
        {
            return (null, (StatusCodes.Status400BadRequest, $"namespace '{name}' is the default function namespace and cannot be changed"));
        }

        if (name != namespaces.Default && NamespacePolicy.ValidateNewName(name) is { } invalid)
        {
            return (null, (StatusCodes.Status400BadRequest, invalid));
        }

        foreach (var key in (body.Labels?.Keys ?? Enumerable.Empty<string>()).Concat(body.Annotations?.Keys ?? Enumerable.Empty<string>()))
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                return (null, (StatusCodes.Status400BadRequest, "label and annotation keys must not be empty"));
            }
        }

        return (new FunctionNamespace
        {
            Name = name!,
            Labels = WithOptIn(body.Labels),
            Annotations = WithOptIn(body.Annotations),
        }, null);
    }

    private static Dictionary<string, string> WithOptIn(Dictionary<string, string>? values)
    {
        var result = new Dictionary<string, string>(values ?? [], StringComparer.Ordinal);
        result.TryAdd(OptInKey, "1");
        return result;
    }

    private static FunctionNamespace DefaultNamespace(string name) => new()
    {
        Name = name,
        Labels = WithOptIn(null),
        Annotations = WithOptIn(null),
    };

    private static IResult Rejected(ILogger logger, string operation, (int Status, string Message) problem)
    {
        Log.Rejected(logger, operation, problem.Status, problem.Message);
        return Text(problem.Status, problem.Message);
    }

    private static IResult Text(int status, string message) => Results.Text(message, "text/plain", statusCode: status);

    private static partial class Log
    {
        [LoggerMessage(EventId = 900, Level = LogLevel.Information, Message = "Rejected namespace {Operation} ({Status}): {Reason}")]
        public static partial void Rejected(ILogger logger, string operation, int status, string reason);

        [LoggerMessage(EventId = 901, Level = LogLevel.Information, Message = "{Change} namespace {Name}")]
        public static partial void Changed(ILogger logger, string change, string name);
    }
}

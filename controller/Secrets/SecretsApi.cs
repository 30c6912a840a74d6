using Faas.Contracts.Json;
using Faas.Contracts.Secrets;
using Faas.Controller.Backends;
using Faas.Controller.Configuration;
using Faas.Controller.SystemApi;

namespace Faas.Controller.Secrets;

/// <summary>
/// <c>/system/secrets</c> with faas-netes' shapes and codes: GET lists names (never values);
/// POST 202 / 409 duplicate; PUT 202 / 404; DELETE 202 / 404 / 409 while a function lists it.
/// Values never reach logs, error bodies or listings.
/// </summary>
public static partial class SecretsApi
{
    private const string LogCategory = "Faas.Controller.Secrets";

    public static WebApplicationBuilder AddSecrets(this WebApplicationBuilder builder)
    {
        var options = builder.GetControllerOptions();
        builder.Services.AddSingleton<ISecretStore>(new FileSecretStore(FileSecretStore.RootFor(options.StateDir)));
        builder.Services.AddSingleton<ReferenceGate>();
        return builder;
    }

    public static WebApplication MapSecretsApi(this WebApplication app)
    {
        app.MapGet("/system/secrets", ListAsync);
        app.MapPost("/system/secrets", CreateAsync);
        app.MapPut("/system/secrets", UpdateAsync);
        app.MapDelete("/system/secrets", DeleteAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(string? @namespace, ISecretStore store, NamespacePolicy namespaces, CancellationToken cancellationToken)
    {
        if (namespaces.Resolve(@namespace, out var ns) is { } error)
        {
            return Text(StatusCodes.Status400BadRequest, error);
        }

        var names = await store.ListAsync(ns, cancellationToken);
        var list = names.Select(n => new Secret { Name = n, Namespace = ns }).ToList();
        return Results.Json(list, FaasJsonContext.Default.ListSecret);
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, string? @namespace, ISecretStore store, NamespacePolicy namespaces, ReferenceGate gate, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(LogCategory);
        var (secret, ns, value, problem) = await ReadAsync(request, @namespace, namespaces, withValue: true, cancellationToken);
        if (problem is { } p)
        {
            return Rejected(logger, "create", p);
        }

        using (await gate.EnterAsync(cancellationToken))
        {
            // Again under the gate: the namespace may have been deleted meanwhile.
            if (namespaces.Resolve(ns, out _) is { } nsError)
            {
                return Rejected(logger, "create", (StatusCodes.Status400BadRequest, nsError));
            }

            if (!await store.CreateAsync(ns, secret!.Name, value, cancellationToken))
            {
                return Rejected(logger, "create", (StatusCodes.Status409Conflict, $"secret '{secret.Name}' already exists in namespace {ns}: update it with PUT /system/secrets (faas-cli secret update)"));
            }
        }

        Log.Changed(logger, "Created", secret.Name, ns, value.Length);
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> UpdateAsync(HttpRequest request, string? @namespace, ISecretStore store, NamespacePolicy namespaces, IEnumerable<ISecretDelivery> deliveries, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(LogCategory);
        var (secret, ns, value, problem) = await ReadAsync(request, @namespace, namespaces, withValue: true, cancellationToken);
        if (problem is { } p)
        {
            return Rejected(logger, "update", p);
        }

        if (!await store.UpdateAsync(ns, secret!.Name, value, cancellationToken))
        {
            return Rejected(logger, "update", (StatusCodes.Status404NotFound, $"secret '{secret.Name}' not found in namespace {ns}: create it with POST /system/secrets (faas-cli secret create)"));
        }

        // Accepted from here on: the running replicas get the new value even if the caller leaves.
        foreach (var delivery in deliveries)
        {
            await delivery.SecretUpdatedAsync(ns, secret.Name, CancellationToken.None);
        }

        Log.Changed(logger, "Updated", secret.Name, ns, value.Length);
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> DeleteAsync(HttpRequest request, string? @namespace, ISecretStore store, NamespacePolicy namespaces, IFunctionBackend backend, ReferenceGate gate, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(LogCategory);
        var (secret, ns, _, problem) = await ReadAsync(request, @namespace, namespaces, withValue: false, cancellationToken);
        if (problem is { } p)
        {
            return Rejected(logger, "delete", p);
        }

        using (await gate.EnterAsync(cancellationToken))
        {
            var users = (await backend.ListAsync(ns, cancellationToken))
                .Where(f => f.Secrets?.Contains(secret!.Name, StringComparer.Ordinal) == true)
                .Select(f => f.Name)
                .ToList();
            if (users.Count > 0)
            {
                return Rejected(logger, "delete", (StatusCodes.Status409Conflict,
                    $"secret '{secret!.Name}' is used by function{(users.Count > 1 ? "s" : "")} {string.Join(", ", users)} in namespace {ns}: remove the function or drop the secret from its secrets list first"));
            }

            if (!await store.DeleteAsync(ns, secret!.Name, cancellationToken))
            {
                return Rejected(logger, "delete", (StatusCodes.Status404NotFound, $"secret '{secret.Name}' not found in namespace {ns}"));
            }
        }

        Log.Changed(logger, "Deleted", secret.Name, ns, 0);
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    /// <summary>Body, name, namespace (body first, then <c>?namespace=</c>) and, for create/update, the value.</summary>
    private static async Task<(Secret? Secret, string Namespace, ReadOnlyMemory<byte> Value, (int, string)? Problem)> ReadAsync(
        HttpRequest request, string? queryNamespace, NamespacePolicy namespaces, bool withValue, CancellationToken cancellationToken)
    {
        if (request.ContentLength > SecretRequest.MaxBodyBytes)
        {
            return (null, "", default, (StatusCodes.Status413PayloadTooLarge, $"the request body is {request.ContentLength} bytes; a secret value may be at most {SecretRequest.MaxValueBytes} bytes (1 MiB)"));
        }

        var (secret, error) = await JsonBody.ReadAsync(request, FaasJsonContext.Default.Secret, cancellationToken);
        if (secret is null)
        {
            return (null, "", default, (StatusCodes.Status400BadRequest, error!));
        }

        if (SecretRequest.ValidateName(secret.Name) is { } nameError)
        {
            return (null, "", default, (StatusCodes.Status400BadRequest, nameError));
        }

        if (namespaces.Resolve(string.IsNullOrWhiteSpace(secret.Namespace) ? queryNamespace : secret.Namespace, out var ns) is { } nsError)
        {
            return (null, "", default, (StatusCodes.Status400BadRequest, nsError));
        }

        if (!withValue)
        {
            return (secret, ns, default, null);
        }

        var value = SecretRequest.ValueOf(secret);
        return SecretRequest.ValidateValue(value) is { } valueError
            ? (null, "", default, valueError)
            : (secret, ns, value, null);
    }

    private static IResult Rejected(ILogger logger, string operation, (int Status, string Message) problem)
    {
        Log.Rejected(logger, operation, problem.Status, problem.Message);
        return Text(problem.Status, problem.Message);
    }

    private static IResult Text(int status, string message) => Results.Text(message, "text/plain", statusCode: status);

    private static partial class Log
    {
        [LoggerMessage(EventId = 800, Level = LogLevel.Information, Message = "Rejected secret {Operation} ({Status}): {Reason}")]
        public static partial void Rejected(ILogger logger, string operation, int status, string reason);

        /// <summary>Name, namespace and size only: never the value.</summary>
        [LoggerMessage(EventId = 801, Level = LogLevel.Information, Message = "{Change} secret {Name} in namespace {Namespace} ({Bytes} bytes)")]
        public static partial void Changed(ILogger logger, string change, string name, string @namespace, int bytes);
    }
}

namespace Faas.Function;

/// <summary>
/// A function that takes the request body as text and returns the response body as text
/// (status 200, <c>text/plain</c>). Throw <see cref="FunctionException"/> for another status.
/// </summary>
public interface IStringFunction
{
    Task<string> HandleAsync(string input, FunctionContext context, CancellationToken cancellationToken);
}

/// <summary>A function over raw bytes (status 200, <c>application/octet-stream</c> unless the request said otherwise).</summary>
public interface IBytesFunction
{
    Task<byte[]> HandleAsync(ReadOnlyMemory<byte> input, FunctionContext context, CancellationToken cancellationToken);
}

/// <summary>
/// A function over typed JSON: the body is deserialized into <typeparamref name="TRequest"/>
/// (camelCase, case-insensitive; a malformed body is answered 400 before the handler runs) and the
/// result is written as <c>application/json</c>.
/// </summary>
public interface IJsonFunction<TRequest, TResponse>
{
    Task<TResponse> HandleAsync(TRequest input, FunctionContext context, CancellationToken cancellationToken);
}

/// <summary>An HTTP-shaped function: full control of method, path, query, headers, status and body.</summary>
public interface IHttpFunction
{
    Task<FunctionResponse> HandleAsync(FunctionRequest request, FunctionContext context, CancellationToken cancellationToken);
}

/// <summary>
/// Optional: implemented by a handler that needs one-time start-up work (open a pool, warm a cache).
/// The watchdog calls it once before it reports ready; a failure stops the replica.
/// </summary>
public interface IFunctionInitializer
{
    Task InitializeAsync(FunctionEnvironment environment, CancellationToken cancellationToken);
}

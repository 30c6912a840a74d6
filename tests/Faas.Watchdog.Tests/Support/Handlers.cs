using System.Text;
using Faas.Function;

namespace Faas.Watchdog.Tests.Support;

public sealed class EchoStringHandler : IStringFunction
{
    public Task<string> HandleAsync(string input, FunctionContext context, CancellationToken cancellationToken) =>
        Task.FromResult($"echo:{input}");
}

public sealed class ReverseBytesHandler : IBytesFunction
{
    public Task<byte[]> HandleAsync(ReadOnlyMemory<byte> input, FunctionContext context, CancellationToken cancellationToken)
    {
        var bytes = input.ToArray();
        Array.Reverse(bytes);
        return Task.FromResult(bytes);
    }
}

public sealed record Order(string Item, int Quantity);

public sealed record Receipt(string Item, int Quantity, decimal Total);

public sealed class PricingHandler : IJsonFunction<Order, Receipt>
{
    public int Calls;

    public Task<Receipt> HandleAsync(Order input, FunctionContext context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Calls);
        return Task.FromResult(new Receipt(input.Item, input.Quantity, input.Quantity * 2.5m));
    }
}

/// <summary>Reflects what the handler saw of the request back to the test as headers and a body.</summary>
public sealed class InspectingHttpHandler : IHttpFunction
{
    public async Task<FunctionResponse> HandleAsync(FunctionRequest request, FunctionContext context, CancellationToken cancellationToken)
    {
        var body = await request.ReadBodyAsStringAsync(cancellationToken);
        var query = string.Join("&", request.Query.OrderBy(q => q.Key).Select(q => $"{q.Key}={string.Join(",", q.Value)}"));
        return new FunctionResponse
        {
            StatusCode = 201,
            Headers = new(StringComparer.OrdinalIgnoreCase)
            {
                ["Content-Type"] = "application/x-test",
                ["X-Seen-Method"] = request.Method,
                ["X-Seen-Path"] = request.Path,
                ["X-Seen-QueryString"] = request.QueryString,
                ["X-Seen-Query"] = query,
                ["X-Seen-Custom"] = request.Headers.TryGetValue("x-custom", out var custom) ? custom : "-",
                ["X-Seen-CallId"] = context.CallId,
                ["X-Seen-Function"] = $"{context.FunctionName}.{context.Namespace}",
            },
            Body = Encoding.UTF8.GetBytes(body),
        };
    }
}

public sealed class StreamingHttpHandler : IHttpFunction
{
    public TrackingStream? Stream { get; private set; }

    public Task<FunctionResponse> HandleAsync(FunctionRequest request, FunctionContext context, CancellationToken cancellationToken)
    {
        Stream = new TrackingStream(Encoding.UTF8.GetBytes("streamed body"));
        return Task.FromResult(new FunctionResponse { BodyStream = Stream });
    }

    public sealed class TrackingStream(byte[] content) : MemoryStream(content)
    {
        public bool Disposed { get; private set; }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}

public sealed class FailingHandler(Exception exception) : IStringFunction
{
    public Task<string> HandleAsync(string input, FunctionContext context, CancellationToken cancellationToken) => throw exception;
}

/// <summary>Blocks on a <see cref="Gate"/>; records whether its token was cancelled.</summary>
public sealed class GatedHandler(Gate gate, bool cooperative = true) : IStringFunction
{
    private readonly TaskCompletionSource _cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Cancelled => _cancelled.Task;

    public async Task<string> HandleAsync(string input, FunctionContext context, CancellationToken cancellationToken)
    {
        // Not disposed on purpose: disposing could unregister the callback before the token's other callbacks let it run.
        cancellationToken.Register(() => _cancelled.TrySetResult());
        if (cooperative)
        {
            await gate.PassAsync(cancellationToken);
        }
        else
        {
            await gate.PassIgnoringCancellationAsync();
        }

        return "done";
    }
}

/// <summary>A handler with one-time start-up work the test controls.</summary>
public sealed class InitializingHandler(Gate gate, Exception? failure = null) : IStringFunction, IFunctionInitializer
{
    public FunctionEnvironment? InitializedWith { get; private set; }

    public async Task InitializeAsync(FunctionEnvironment environment, CancellationToken cancellationToken)
    {
        await gate.PassAsync(cancellationToken);
        if (failure is not null)
        {
            throw failure;
        }

        InitializedWith = environment;
    }

    public Task<string> HandleAsync(string input, FunctionContext context, CancellationToken cancellationToken) => Task.FromResult("initialized");
}

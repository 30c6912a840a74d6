using Faas.Function;

namespace Function;

/// <summary>Answers with the request body, unchanged.</summary>
public sealed class Handler : IBytesFunction
{
    public Task<byte[]> HandleAsync(ReadOnlyMemory<byte> input, FunctionContext context, CancellationToken cancellationToken) =>
        Task.FromResult(input.ToArray());
}

using Faas.Function;

namespace Function;

/// <summary>Greets the name sent in the request body: <c>World</c> -> <c>Hello, World</c>.</summary>
public sealed class Handler : IStringFunction
{
    public Task<string> HandleAsync(string input, FunctionContext context, CancellationToken cancellationToken)
    {
        var name = string.IsNullOrWhiteSpace(input) ? "world" : input.Trim();
        return Task.FromResult($"Hello, {name}");
    }
}

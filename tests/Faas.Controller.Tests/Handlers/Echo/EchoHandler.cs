using Faas.Function;

namespace Echo;

/// <summary>Answers <c>echo: &lt;body&gt;</c> and logs one line per call (read back through /system/logs).</summary>
public sealed class EchoHandler : IStringFunction
{
    public Task<string> HandleAsync(string input, FunctionContext context, CancellationToken cancellationToken)
    {
        Console.WriteLine($"handled {input}");
        return Task.FromResult($"echo: {input}");
    }
}

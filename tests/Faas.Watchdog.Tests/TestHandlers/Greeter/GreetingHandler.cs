using System.Runtime.Loader;
using Faas.Function;
using Greeter.Dependency;

namespace Greeter;

/// <summary>Greets the name in the body, and tells where its dependency was loaded from.</summary>
public sealed class GreetingHandler : IHttpFunction
{
    private readonly string _greeting;

    public GreetingHandler(FunctionEnvironment environment) => _greeting = environment.Get("greeting", "Hello")!;

    public async Task<FunctionResponse> HandleAsync(FunctionRequest request, FunctionContext context, CancellationToken cancellationToken)
    {
        var name = await request.ReadBodyAsStringAsync(cancellationToken);
        var response = FunctionResponse.Text(Salutation.Compose(_greeting, name));
        response.Headers["X-Dependency-Context"] = AssemblyLoadContext.GetLoadContext(typeof(Salutation).Assembly)?.Name ?? "?";
        response.Headers["X-Handler-Context"] = AssemblyLoadContext.GetLoadContext(typeof(GreetingHandler).Assembly)?.Name ?? "?";
        response.Headers["X-Sdk-Context"] = AssemblyLoadContext.GetLoadContext(typeof(IHttpFunction).Assembly)?.Name ?? "?";
        return response;
    }
}

using Faas.Function;

namespace Function.Tests;

public class HandlerTests
{
    [Fact]
    public async Task Handle_GreetsTheNameInTheBody()
    {
        var result = await new Handler().HandleAsync("World", Context(), CancellationToken.None);

        Assert.Equal("Hello, World", result);
    }

    [Fact]
    public async Task Handle_WithoutAName_GreetsTheWorld()
    {
        var result = await new Handler().HandleAsync("", Context(), CancellationToken.None);

        Assert.Equal("Hello, world", result);
    }

    private static FunctionContext Context()
    {
        var environment = new FunctionEnvironment("hello", "openfaas-fn", new Dictionary<string, string>(), new FileSecretStore(Path.GetTempPath()));
        return new FunctionContext(environment, "test-call", new Dictionary<string, string>());
    }
}

using Faas.Function;
using Faas.Watchdog.Handlers;

namespace Faas.Watchdog.Tests.Handlers;

public class HandlerDiscoveryTests
{
    [Fact]
    public void Select_NoCandidates_NamesTheExpectedInterfaces()
    {
        Type[] types = [typeof(NotAHandler), typeof(AbstractHandler), typeof(HiddenHandler), typeof(OpenGenericHandler<>)];

        var error = Assert.Throws<WatchdogStartupException>(() => HandlerDiscovery.Select(types, null, "Function.dll"));

        Assert.Contains("no handler found in Function.dll", error.Message);
        Assert.Contains("IStringFunction", error.Message);
        Assert.Contains("IHttpFunction", error.Message);
    }

    [Fact]
    public void Select_OneCandidate_IsChosen_IgnoringAbstractHiddenAndOtherTypes()
    {
        Type[] types = [typeof(NotAHandler), typeof(AbstractHandler), typeof(HiddenHandler), typeof(FirstHandler)];

        Assert.Equal(typeof(FirstHandler), HandlerDiscovery.Select(types, null, "Function.dll"));
    }

    [Fact]
    public void Select_TwoCandidates_NamesBothAndAsksForHandlerType()
    {
        Type[] types = [typeof(FirstHandler), typeof(SecondHandler)];

        var error = Assert.Throws<WatchdogStartupException>(() => HandlerDiscovery.Select(types, null, "Function.dll"));

        Assert.Contains("2 handlers found in Function.dll", error.Message);
        Assert.Contains(typeof(FirstHandler).FullName!, error.Message);
        Assert.Contains(typeof(SecondHandler).FullName!, error.Message);
        Assert.Contains("handler_type", error.Message);
    }

    [Fact]
    public void Select_HandlerType_PicksOneOfSeveral()
    {
        Type[] types = [typeof(FirstHandler), typeof(SecondHandler)];

        Assert.Equal(typeof(SecondHandler), HandlerDiscovery.Select(types, typeof(SecondHandler).FullName, "Function.dll"));
    }

    [Fact]
    public void Select_HandlerTypeNotFound_ListsTheHandlersThatExist()
    {
        Type[] types = [typeof(FirstHandler)];

        var error = Assert.Throws<WatchdogStartupException>(() => HandlerDiscovery.Select(types, "Function.Missing", "Function.dll"));

        Assert.Contains("handler_type 'Function.Missing'", error.Message);
        Assert.Contains(typeof(FirstHandler).FullName!, error.Message);
    }

    [Fact]
    public void Select_HandlerTypeThatIsNoHandler_SaysWhatAHandlerIs()
    {
        Type[] types = [typeof(NotAHandler)];

        var error = Assert.Throws<WatchdogStartupException>(() => HandlerDiscovery.Select(types, typeof(NotAHandler).FullName, "Function.dll"));

        Assert.Contains("is not a handler", error.Message);
    }

    [Fact]
    public void FindInAssembly_MissingFile_SaysWhichPath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}", "Function.dll");

        var error = Assert.Throws<WatchdogStartupException>(() => HandlerDiscovery.FindInAssembly(path, null));

        Assert.Contains($"handler_assembly '{path}' does not exist", error.Message);
    }

    [Fact]
    public void FindInAssembly_NotAnAssembly_IsAStartupError()
    {
        var path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.dll");
        File.WriteAllText(path, "not a dll");
        try
        {
            var error = Assert.Throws<WatchdogStartupException>(() => HandlerDiscovery.FindInAssembly(path, null));

            Assert.Contains("could not be loaded", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Create_PrefersTheFunctionEnvironmentConstructor()
    {
        var environment = new FunctionEnvironment("fn", "ns", new Dictionary<string, string>(), new FileSecretStore("/nonexistent"));

        var handler = LoadedHandler.Create(typeof(EnvironmentHandler), environment);

        Assert.Same(environment, ((EnvironmentHandler)handler.Instance).Environment);
        Assert.Equal(HandlerShape.String, handler.Invoker.Shape);
    }

    [Fact]
    public void Create_UsesTheParameterlessConstructorOtherwise()
    {
        var handler = LoadedHandler.Create(typeof(FirstHandler), Environment());

        Assert.IsType<FirstHandler>(handler.Instance);
    }

    [Fact]
    public void Create_WithoutUsableConstructor_SaysWhichConstructorsWork()
    {
        var error = Assert.Throws<WatchdogStartupException>(() => LoadedHandler.Create(typeof(NoUsableConstructorHandler), Environment()));

        Assert.Contains("no usable constructor", error.Message);
        Assert.Contains("FunctionEnvironment", error.Message);
    }

    [Fact]
    public void Create_ConstructorThrows_IsAStartupErrorCarryingTheCause()
    {
        var error = Assert.Throws<WatchdogStartupException>(() => LoadedHandler.Create(typeof(ThrowingConstructorHandler), Environment()));

        Assert.Contains("constructor threw InvalidOperationException: no database", error.Message);
        Assert.IsType<InvalidOperationException>(error.InnerException);
    }

    [Theory]
    [InlineData(typeof(FirstHandler), "String")]
    [InlineData(typeof(BytesShape), "Bytes")]
    [InlineData(typeof(JsonShape), "Json")]
    [InlineData(typeof(HttpShape), "Http")]
    public void Create_BuildsTheInvokerForTheShape(Type type, string shape)
    {
        Assert.Equal(shape, LoadedHandler.Create(type, Environment()).Invoker.Shape.ToString());
    }

    [Fact]
    public void Create_TwoShapesOnOneClass_IsAStartupError()
    {
        var error = Assert.Throws<WatchdogStartupException>(() => LoadedHandler.Create(typeof(TwoShapesHandler), Environment()));

        Assert.Contains("implements 2 handler interfaces", error.Message);
    }

    private static FunctionEnvironment Environment() =>
        new("fn", "ns", new Dictionary<string, string>(), new FileSecretStore("/nonexistent"));

    public class NotAHandler;

    public abstract class AbstractHandler : IStringFunction
    {
        public abstract Task<string> HandleAsync(string input, FunctionContext context, CancellationToken cancellationToken);
    }

    internal sealed class HiddenHandler : IStringFunction
    {
        public Task<string> HandleAsync(string input, FunctionContext context, CancellationToken cancellationToken) => Task.FromResult(input);
    }

    public sealed class OpenGenericHandler<T> : IStringFunction
    {
        public Task<string> HandleAsync(string input, FunctionContext context, CancellationToken cancellationToken) => Task.FromResult(typeof(T).Name);
    }

    public sealed class FirstHandler : IStringFunction
    {
        public Task<string> HandleAsync(string input, FunctionContext context, CancellationToken cancellationToken) => Task.FromResult("first");
    }

    public sealed class SecondHandler : IStringFunction
    {
        public Task<string> HandleAsync(string input, FunctionContext context, CancellationToken cancellationToken) => Task.FromResult("second");
    }

    public sealed class EnvironmentHandler : IStringFunction
    {
        public EnvironmentHandler()
        {
        }

        public EnvironmentHandler(FunctionEnvironment environment) => Environment = environment;

        public FunctionEnvironment? Environment { get; }

        public Task<string> HandleAsync(string input, FunctionContext context, CancellationToken cancellationToken) => Task.FromResult(input);
    }

    public sealed class NoUsableConstructorHandler(int size) : IStringFunction
    {
        public Task<string> HandleAsync(string input, FunctionContext context, CancellationToken cancellationToken) => Task.FromResult(size.ToString());
    }

    public sealed class ThrowingConstructorHandler : IStringFunction
    {
        public ThrowingConstructorHandler() => throw new InvalidOperationException("no database");

        public Task<string> HandleAsync(string input, FunctionContext context, CancellationToken cancellationToken) => Task.FromResult(input);
    }

    public sealed class BytesShape : IBytesFunction
    {
        public Task<byte[]> HandleAsync(ReadOnlyMemory<byte> input, FunctionContext context, CancellationToken cancellationToken) => Task.FromResult(input.ToArray());
    }

    public sealed class JsonShape : IJsonFunction<int[], int>
    {
        public Task<int> HandleAsync(int[] input, FunctionContext context, CancellationToken cancellationToken) => Task.FromResult(input.Sum());
    }

    public sealed class HttpShape : IHttpFunction
    {
        public Task<FunctionResponse> HandleAsync(FunctionRequest request, FunctionContext context, CancellationToken cancellationToken) =>
            Task.FromResult(FunctionResponse.Status(204));
    }

    public sealed class TwoShapesHandler : IStringFunction, IBytesFunction
    {
        public Task<string> HandleAsync(string input, FunctionContext context, CancellationToken cancellationToken) => Task.FromResult(input);

        public Task<byte[]> HandleAsync(ReadOnlyMemory<byte> input, FunctionContext context, CancellationToken cancellationToken) => Task.FromResult(input.ToArray());
    }
}

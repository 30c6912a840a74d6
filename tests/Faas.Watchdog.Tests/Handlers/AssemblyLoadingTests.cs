using System.Net;
using System.Runtime.Loader;
using Faas.Watchdog.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Faas.Watchdog.Tests.Handlers;

/// <summary>
/// Loads a real compiled handler from disk (<c>TestHandlers/Greeter</c>, copied to
/// <c>handlers/greeter/</c> next to the tests): its own dependency comes from its folder, the SDK from
/// the watchdog.
/// </summary>
public class AssemblyLoadingTests
{
    public static readonly string GreeterDll = Path.Combine(AppContext.BaseDirectory, "handlers", "greeter", "Greeter.dll");

    [Fact]
    public async Task HandlerAssembly_IsLoadedWithItsOwnDependency_AndSharesTheSdkWithTheWatchdog()
    {
        Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, "Greeter.Dependency.dll")), "the dependency must only exist in the handler's folder");
        await using var watchdog = await TestWatchdog.StartAsync(
            logs => WatchdogApp.Build(TestWatchdog.Config(("handler_assembly", GreeterDll), ("greeting", "Bonjour")), configure: b => b.Logging.AddProvider(logs)),
            waitReady: true);

        using var response = await watchdog.Client.PostAsync("/", new StringContent("Ada"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Bonjour, Ada", await response.Content.ReadAsStringAsync());
        Assert.Equal("handler:Greeter", Header(response, "X-Handler-Context"));
        Assert.Equal("handler:Greeter", Header(response, "X-Dependency-Context"));
        Assert.Equal(AssemblyLoadContext.Default.Name, Header(response, "X-Sdk-Context"));
    }

    [Fact]
    public void HandlerType_ThatIsNotInTheAssembly_IsAStartupError()
    {
        var config = TestWatchdog.Config(("handler_assembly", GreeterDll), ("handler_type", "Greeter.Missing"));

        var error = Assert.Throws<WatchdogStartupException>(() => WatchdogApp.Build(config));

        Assert.Contains("handler_type 'Greeter.Missing' is not a public type in Greeter.dll", error.Message);
        Assert.Contains("Greeter.GreetingHandler", error.Message);
    }

    private static string Header(HttpResponseMessage response, string name) => Assert.Single(response.Headers.GetValues(name));
}

using Faas.Cli.Config;

namespace Faas.Cli.Tests.Config;

public class GatewayUrlTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080/", "http://127.0.0.1:8080")]
    [InlineData("GW.example.com:8080", "http://gw.example.com:8080")]
    [InlineData(" https://gw/ ", "https://gw")]
    public void Normalize_LowerCasesTrimsAndAddsScheme(string input, string expected) =>
        Assert.Equal(expected, GatewayUrl.Normalize(input));

    [Fact]
    public void Resolve_FlagThenStackThenEnvironmentThenDefault_AsFaasCli()
    {
        var env = new Dictionary<string, string>();
        var context = new CliContext { Out = TextWriter.Null, Err = TextWriter.Null, GetEnvironmentVariable = n => env.GetValueOrDefault(n) };

        Assert.Equal(GatewayUrl.Default, GatewayUrl.Resolve(null, context, null));
        Assert.Equal("http://stack:1", GatewayUrl.Resolve(null, context, "http://stack:1"));
        env["OPENFAAS_URL"] = "http://env:2";
        Assert.Equal("http://env:2", GatewayUrl.Resolve(null, context, null));
        Assert.Equal("http://stack:1", GatewayUrl.Resolve(null, context, "http://stack:1"));
        Assert.Equal("http://flag:3", GatewayUrl.Resolve("http://flag:3", context, "http://stack:1"));
    }

    [Fact]
    public void Resolve_ValuesEqualToTheDefaultCountAsUnset_SoOpenFaaSUrlApplies()
    {
        var env = new Dictionary<string, string> { ["OPENFAAS_URL"] = "http://env:2" };
        var context = new CliContext { Out = TextWriter.Null, Err = TextWriter.Null, GetEnvironmentVariable = n => env.GetValueOrDefault(n) };

        Assert.Equal("http://env:2", GatewayUrl.Resolve("http://127.0.0.1:8080/", context, "http://127.0.0.1:8080"));
    }
}

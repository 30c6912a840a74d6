using Faas.Contracts.Naming;

namespace Faas.Contracts.Tests.Naming;

public class FunctionNamesTests
{
    [Theory]
    [InlineData("echo")]
    [InlineData("a")]
    [InlineData("figlet-2")]
    [InlineData("0abc")]
    public void Validate_AcceptsDns1123Labels(string name) => Assert.Null(FunctionNames.Validate(name));

    [Theory]
    [InlineData("", "required")]
    [InlineData("Echo", "DNS-1123")]
    [InlineData("-echo", "DNS-1123")]
    [InlineData("echo-", "DNS-1123")]
    [InlineData("my_fn", "DNS-1123")]
    [InlineData("a.b", "DNS-1123")]
    public void Validate_RejectsOtherNamesSayingWhy(string name, string expected)
    {
        var message = FunctionNames.Validate(name);

        Assert.NotNull(message);
        Assert.Contains(expected, message);
    }

    [Fact]
    public void Validate_RejectsNamesLongerThan63()
    {
        var message = FunctionNames.Validate(new string('a', 64));

        Assert.Contains("at most 63", message);
        Assert.Null(FunctionNames.Validate(new string('a', 63)));
    }

    [Theory]
    [InlineData("echo", "echo", "openfaas-fn")]
    [InlineData("echo.dev", "echo", "dev")]
    [InlineData("my.fn.staging", "my.fn", "staging")]
    [InlineData("echo.", "echo.", "openfaas-fn")]
    public void Split_UsesTheLastDot(string token, string name, string ns)
    {
        Assert.Equal((name, ns), FunctionNames.Split(token));
    }
}

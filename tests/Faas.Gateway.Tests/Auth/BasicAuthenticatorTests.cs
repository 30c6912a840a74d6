using Faas.Gateway.Auth;
using Faas.Gateway.Configuration;

namespace Faas.Gateway.Tests.Auth;

public sealed class BasicAuthenticatorTests
{
    private static readonly BasicAuthenticator Enabled = new(new GatewayOptions
    {
        FunctionsProviderUrl = new Uri("http://c"),
        BasicAuth = true,
        Credentials = new BasicAuthCredentials("admin", "pa:ss"),
    });

    private static string Header(string scheme, string userPass) => $"{scheme} {Convert.ToBase64String(Encoding.UTF8.GetBytes(userPass))}";

    [Theory]
    [InlineData("Basic", "admin:pa:ss", true)]
    [InlineData("basic", "admin:pa:ss", true)]
    [InlineData("Basic", "admin:pa:s", false)]
    [InlineData("Basic", "Admin:pa:ss", false)]
    [InlineData("Basic", "adminpa:ss", false)]
    [InlineData("Bearer", "admin:pa:ss", false)]
    public void IsAuthorized_ComparesUserAndPassword(string scheme, string userPass, bool expected)
    {
        Assert.Equal(expected, Enabled.IsAuthorized(Header(scheme, userPass)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Basic")]
    [InlineData("Basic !!!not-base64")]
    public void IsAuthorized_MalformedHeader_IsRejected(string header)
    {
        Assert.False(Enabled.IsAuthorized(header));
    }

    [Fact]
    public void IsAuthorized_TwoHeaders_IsRejected()
    {
        Assert.False(Enabled.IsAuthorized(new Microsoft.Extensions.Primitives.StringValues([Header("Basic", "admin:pa:ss"), Header("Basic", "admin:pa:ss")])));
    }

    [Fact]
    public void Disabled_AllowsEverything_AndInjectsNothing()
    {
        var disabled = new BasicAuthenticator(new GatewayOptions { FunctionsProviderUrl = new Uri("http://c") });

        Assert.True(disabled.IsAuthorized(default(Microsoft.Extensions.Primitives.StringValues)));
        Assert.Null(disabled.ControllerAuthorization);
    }

    [Fact]
    public void Enabled_InjectsTheSameCredentials_OnControllerCalls()
    {
        Assert.Equal(Header("Basic", "admin:pa:ss"), Enabled.ControllerAuthorizationValue);
    }
}

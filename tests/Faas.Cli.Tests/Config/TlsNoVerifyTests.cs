using Faas.Cli.Tests.Support;

namespace Faas.Cli.Tests.Config;

public class TlsNoVerifyTests
{
    [Fact]
    public async Task SelfSignedGateway_IsRefused_UnlessTlsNoVerify()
    {
        await using var gateway = new TlsGateway();
        using var runner = new CliRunner { UseFakeGateway = false };

        var refused = await runner.RunAsync("list", "-g", gateway.Url);
        var accepted = await runner.RunAsync("list", "-g", gateway.Url, "--tls-no-verify");
        var login = await runner.RunWithStdinAsync("pw", "login", "--password-stdin", "-g", gateway.Url, "--tls-no-verify");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"request to OpenFaaS on URL: {gateway.Url} failed", refused.Err);
        Assert.True(accepted.ExitCode == 0, accepted.Err);
        Assert.True(login.ExitCode == 0, login.Err);
        Assert.Equal(2, gateway.Handled);
    }
}

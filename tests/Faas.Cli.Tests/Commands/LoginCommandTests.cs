using System.Net;
using System.Text;
using Faas.Cli.Tests.Support;

namespace Faas.Cli.Tests.Commands;

public class LoginCommandTests
{
    private static readonly string Token = Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:s3cret"));

    private static CliRunner Runner()
    {
        var runner = new CliRunner();
        runner.Gateway.On("GET", "/system/functions", r =>
            r.Header("Authorization") == "Basic " + Token
                ? FakeGateway.Json("[]")
                : FakeGateway.Response(HttpStatusCode.Unauthorized, "invalid credentials"));
        return runner;
    }

    [Fact]
    public async Task Login_StoresOpenFaaSConfig_AndLaterCallsSendBasicAuth()
    {
        using var runner = Runner();

        var login = await runner.RunWithStdinAsync("s3cret\n", "login", "--password-stdin", "-g", "http://127.0.0.1:8080/");

        Assert.Equal(0, login.ExitCode);
        Assert.Contains("credentials saved for admin http://127.0.0.1:8080", login.Out);
        var config = File.ReadAllText(Path.Combine(runner.Environment["OPENFAAS_CONFIG"], "config.yml"));
        Assert.Equal($"auths:\n- gateway: http://127.0.0.1:8080\n  auth: basic\n  token: {Token}\n", config.ReplaceLineEndings("\n"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(runner.Environment["OPENFAAS_CONFIG"], "config.yml")));
        }

        var list = await runner.RunAsync("list");

        Assert.Equal(0, list.ExitCode);
        Assert.Equal("Basic " + Token, runner.Gateway.Requests[^1].Header("Authorization"));
    }

    [Fact]
    public async Task Login_WrongPassword_ExitsOneAndStoresNothing()
    {
        using var runner = Runner();

        var result = await runner.RunAsync("login", "-u", "admin", "-p", "wrong");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("unable to login, either username or password is incorrect", result.Err);
        Assert.False(File.Exists(Path.Combine(runner.Environment["OPENFAAS_CONFIG"], "config.yml")));
    }

    [Fact]
    public async Task Logout_RemovesTheCredentials()
    {
        using var runner = Runner();
        Assert.Equal(0, (await runner.RunAsync("login", "-p", "s3cret")).ExitCode);

        var logout = await runner.RunAsync("logout");
        var list = await runner.RunAsync("list");
        var again = await runner.RunAsync("logout");

        Assert.Equal(0, logout.ExitCode);
        Assert.Contains("credentials removed for http://127.0.0.1:8080", logout.Out);
        Assert.Equal(1, list.ExitCode);
        Assert.Null(runner.Gateway.Requests[^1].Header("Authorization"));
        Assert.Equal(1, again.ExitCode);
    }

    [Fact]
    public async Task Token_IsSentAsBearer()
    {
        using var runner = new CliRunner();
        runner.Gateway.On("GET", "/system/functions", _ => FakeGateway.Json("[]"));

        Assert.Equal(0, (await runner.RunAsync("list", "-k", "jwt-token")).ExitCode);
        Assert.Equal("Bearer jwt-token", runner.Gateway.Requests[0].Header("Authorization"));
    }

    [Theory]
    [InlineData("login")]
    [InlineData("login", "-p", "x", "--password-stdin")]
    public async Task Login_WithoutOneKindOfPassword_IsAUsageError(params string[] args)
    {
        using var runner = Runner();

        var result = await runner.RunWithStdinAsync("x", args);

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(runner.Gateway.Requests);
    }
}

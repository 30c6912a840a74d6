using System.Text;
using Faas.Cli.Tests.Support;

namespace Faas.Cli.Tests.Config;

/// <summary>An existing OpenFaaS config file and environment keep working.</summary>
public class ConfigFileCompatibilityTests
{
    private static readonly string Basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:pw"));

    [Fact]
    public async Task ExistingOpenFaaSConfig_BasicAndOAuth2Entries_ArePickedByGateway()
    {
        using var runner = new CliRunner();
        runner.Write(".openfaas-config/config.yml", $"""
            auths:
            - gateway: http://gw-a.test:8080
              auth: basic
              token: {Basic}
            - gateway: HTTPS://GW-B.test/
              auth: oauth2
              token: jwt-b
              options:
              - name: client_id
                value: cli
            """);
        runner.Gateway.On("GET", "/system/functions", _ => FakeGateway.Json("[]"));

        Assert.Equal(0, (await runner.RunAsync("list", "-g", "gw-a.test:8080")).ExitCode);
        Assert.Equal("Basic " + Basic, runner.Gateway.Requests[^1].Header("Authorization"));

        Assert.Equal(0, (await runner.RunAsync("list", "--gateway", "https://gw-b.test", "--tls-no-verify")).ExitCode);
        Assert.Equal("Bearer jwt-b", runner.Gateway.Requests[^1].Header("Authorization"));

        runner.Environment["OPENFAAS_URL"] = "http://gw-a.test:8080";
        Assert.Equal(0, (await runner.RunAsync("list")).ExitCode);
        Assert.Equal("http://gw-a.test:8080", runner.Gateway.Requests[^1].Authority);
        Assert.Equal("Basic " + Basic, runner.Gateway.Requests[^1].Header("Authorization"));
    }

    [Fact]
    public async Task Login_KeepsOtherEntries_AndCreatesAnOwnerOnlyFolder()
    {
        using var runner = new CliRunner();
        runner.Environment["OPENFAAS_CONFIG"] = runner.PathOf("fresh", "cfg");
        runner.Gateway.On("GET", "/system/functions", _ => FakeGateway.Json("[]"));

        Assert.Equal(0, (await runner.RunWithStdinAsync("pw", "login", "-s", "-g", "http://one.test")).ExitCode);
        Assert.Equal(0, (await runner.RunWithStdinAsync("pw", "login", "-s", "-g", "http://two.test")).ExitCode);

        var text = File.ReadAllText(runner.PathOf("fresh", "cfg", "config.yml"));
        Assert.Contains("gateway: http://one.test", text);
        Assert.Contains("gateway: http://two.test", text);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(runner.PathOf("fresh", "cfg")));
        }
    }

    [Fact]
    public async Task CiMode_UsesDotOpenFaaSInTheWorkingFolder()
    {
        using var runner = new CliRunner();
        runner.Environment.Remove("OPENFAAS_CONFIG");
        runner.Environment["CI"] = "true";
        runner.Gateway.On("GET", "/system/functions", _ => FakeGateway.Json("[]"));

        var result = await runner.RunWithStdinAsync("pw", "login", "--password-stdin");

        Assert.Equal(0, result.ExitCode);
        Assert.True(File.Exists(runner.PathOf(".openfaas", "config.yml")));
        Assert.False(Directory.Exists(runner.PathOf("home", ".openfaas")));
    }

    [Fact]
    public async Task StackGateway_BeatsOpenFaaSUrl_ForEveryGatewayCommand()
    {
        using var runner = new CliRunner();
        runner.Write("stack.yml", "version: 1.0\nprovider:\n  name: openfaas\n  gateway: http://stack.test:8080\nfunctions:\n  echo:\n    image: echo:latest\n");
        runner.Environment["OPENFAAS_URL"] = "http://env.test:8080";
        runner.Gateway.On("GET", "/system/functions", _ => FakeGateway.Json("[]"));

        Assert.Equal(0, (await runner.RunAsync("list")).ExitCode);
        Assert.Equal("http://stack.test:8080", runner.Gateway.Requests[^1].Authority);
        Assert.Equal(0, (await runner.RunAsync("list", "-g", "http://flag.test")).ExitCode);
        Assert.Equal("http://flag.test", runner.Gateway.Requests[^1].Authority);
    }
}

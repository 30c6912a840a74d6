using System.Text;
using Faas.Cli.Build;
using Faas.Cli.Tests.Support;

namespace Faas.Cli.Tests.Push;

public class DockerCredentialsTests
{
    [Fact]
    public async Task Load_ReadsAuthsByHost_FromBase64AuthOrFields()
    {
        using var runner = new CliRunner();
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:pa:ss"));
        runner.Write("home/.docker/config.json", $$"""
            {"auths": {
              "https://registry.example.com/v1/": {"auth": "{{auth}}"},
              "127.0.0.1:5000": {"username": "bob", "password": "pw"},
              "token.example": {"identitytoken": "tok"}
            }, "credsStore": "desktop"}
            """);

        var credentials = await DockerCredentials.LoadAsync(Context(runner), CancellationToken.None);

        var alice = credentials.For("registry.example.com")!;
        Assert.Equal(("alice", "pa:ss", "registry.example.com"), (alice.Username, alice.Password, alice.ServerAddress));
        Assert.Equal(("bob", "pw"), (credentials.For("127.0.0.1:5000")!.Username, credentials.For("127.0.0.1:5000")!.Password));
        Assert.Equal("tok", credentials.For("token.example")!.IdentityToken);
        Assert.Null(credentials.For("other.example"));
    }

    [Fact]
    public async Task Load_HonoursDockerConfig_AndMissingFileMeansNoCredentials()
    {
        using var runner = new CliRunner();
        runner.Environment["DOCKER_CONFIG"] = runner.PathOf("elsewhere");
        runner.Write("home/.docker/config.json", """{"auths": {"r.example": {"username": "u", "password": "p"}}}""");

        var credentials = await DockerCredentials.LoadAsync(Context(runner), CancellationToken.None);

        Assert.Null(credentials.For("r.example"));
        Assert.Equal(runner.PathOf("elsewhere", "config.json"), credentials.Path);
    }

    [Fact]
    public async Task Load_BrokenFile_IsAnErrorNamingIt()
    {
        using var runner = new CliRunner();
        runner.Write("home/.docker/config.json", "{not json");

        var error = await Assert.ThrowsAsync<CommandFailedException>(() => DockerCredentials.LoadAsync(Context(runner), CancellationToken.None));

        Assert.Contains(runner.PathOf("home", ".docker", "config.json"), error.Message);
    }

    private static CliContext Context(CliRunner runner) => new()
    {
        Out = TextWriter.Null,
        Err = TextWriter.Null,
        GetEnvironmentVariable = name => runner.Environment.TryGetValue(name, out var value) ? value : null,
        CurrentDirectory = runner.Directory,
        HomeDirectory = runner.PathOf("home"),
    };
}

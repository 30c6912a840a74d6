using Faas.Controller.Backends.Docker;
using Faas.Controller.Configuration;
using Microsoft.Extensions.Configuration;

namespace Faas.Controller.Tests.Backends.Docker;

public sealed class DockerBackendOptionsTests
{
    [Theory]
    [InlineData(null, DockerFreezerMode.Auto)]
    [InlineData("auto", DockerFreezerMode.Auto)]
    [InlineData("cgroup", DockerFreezerMode.Cgroup)]
    [InlineData(" API ", DockerFreezerMode.Api)]
    public void Freezer_ParsesTheKey(string? value, DockerFreezerMode expected)
    {
        var options = DockerBackendOptions.Load(Config(("docker_host", "unix:///run/docker.sock"), ("docker_freezer", value)));

        Assert.Equal(expected, options.Freezer);
    }

    [Fact]
    public void Freezer_Unknown_IsRejectedWithTheValidValues()
    {
        var e = Assert.Throws<ControllerOptionsException>(() => DockerBackendOptions.Load(Config(("docker_host", "unix:///run/docker.sock"), ("docker_freezer", "sigstop"))));

        Assert.Contains(e.Errors, m => m.Contains("docker_freezer 'sigstop'") && m.Contains("auto, cgroup") && m.Contains("api"));
    }

    [Fact]
    public void Freezer_CgroupWithRemoteDaemon_IsRejected()
    {
        var e = Assert.Throws<ControllerOptionsException>(() => DockerBackendOptions.Load(Config(("docker_host", "tcp://10.0.0.5:2375"), ("docker_freezer", "cgroup"))));

        Assert.Contains(e.Errors, m => m.Contains("docker_freezer 'cgroup'") && m.Contains("not a unix socket"));
    }

    private static IConfiguration Config(params (string Key, string? Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value)).Build();
}

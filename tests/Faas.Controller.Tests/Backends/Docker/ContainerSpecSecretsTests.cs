using Faas.Contracts.Functions;
using Faas.Controller.Backends.Docker;
using Faas.Docker;

namespace Faas.Controller.Tests.Backends.Docker;

/// <summary>The secrets mount of a replica container, without a daemon.</summary>
public sealed class ContainerSpecSecretsTests
{
    private static readonly DockerBackendOptions Options = new() { Endpoint = DockerEndpoint.Parse("unix:///var/run/docker.sock") };

    [Fact]
    public void FunctionWithSecrets_GetsItsFolderReadOnlyAtVarOpenfaasSecrets()
    {
        var spec = ContainerSpec.Replica(new FunctionDeployment { Service = "fn", Image = "img", Secrets = ["a"] }, "openfaas-fn", "fn-abcde", "abcde", 1, Options, "/state/secrets/openfaas-fn/fn");

        var mount = Assert.Single(spec.HostConfig!.Mounts!);
        Assert.Equal("bind", mount.Type);
        Assert.Equal("/state/secrets/openfaas-fn/fn", mount.Source);
        Assert.Equal("/var/openfaas/secrets", mount.Target);
        Assert.True(mount.ReadOnly);
    }

    [Fact]
    public void FunctionWithoutSecrets_GetsNoMount()
    {
        var spec = ContainerSpec.Replica(new FunctionDeployment { Service = "fn", Image = "img" }, "openfaas-fn", "fn-abcde", "abcde", 1, Options);

        Assert.Null(spec.HostConfig!.Mounts);
    }
}

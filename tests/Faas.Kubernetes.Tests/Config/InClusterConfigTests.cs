namespace Faas.Kubernetes.Tests.Config;

public sealed class InClusterConfigTests : IDisposable
{
    private readonly string _account = Directory.CreateTempSubdirectory("faas-sa-").FullName;

    public void Dispose() => Directory.Delete(_account, recursive: true);

    [Fact]
    public async Task InCluster_ReadsServiceAccountFilesAndEnvironment()
    {
        File.WriteAllText(Path.Combine(_account, "token"), "sa-token-1");
        File.WriteAllText(Path.Combine(_account, "namespace"), "openfaas\n");
        File.WriteAllText(Path.Combine(_account, "ca.crt"), TestCertificates.CaPem);
        var environment = new Dictionary<string, string> { ["KUBERNETES_SERVICE_HOST"] = "10.96.0.1", ["KUBERNETES_SERVICE_PORT"] = "443" };

        Assert.True(KubernetesClientConfiguration.IsInCluster(environment.GetValueOrDefault, _account));
        var config = KubernetesClientConfiguration.InCluster(environment.GetValueOrDefault, _account);

        Assert.Equal(new Uri("https://10.96.0.1:443"), config.Server);
        Assert.Equal("openfaas", config.Namespace);
        Assert.Single(config.CaCertificates!);
        Assert.Equal("sa-token-1", await config.TokenSource!.GetTokenAsync());
    }

    [Fact]
    public void InCluster_WithoutServiceHost_IsNotAvailableAndSaysWhy()
    {
        File.WriteAllText(Path.Combine(_account, "token"), "t");

        Assert.False(KubernetesClientConfiguration.IsInCluster(_ => null, _account));
        var error = Assert.Throws<InvalidOperationException>(() => KubernetesClientConfiguration.InCluster(_ => null, _account));
        Assert.Contains("KUBERNETES_SERVICE_HOST", error.Message);
    }

    [Fact]
    public void InCluster_Ipv6ServiceHost_IsBracketed()
    {
        File.WriteAllText(Path.Combine(_account, "token"), "t");
        var environment = new Dictionary<string, string> { ["KUBERNETES_SERVICE_HOST"] = "fd00::1", ["KUBERNETES_SERVICE_PORT"] = "443" };

        var config = KubernetesClientConfiguration.InCluster(environment.GetValueOrDefault, _account);

        Assert.Equal("[fd00::1]", config.Server.Host);
    }
}

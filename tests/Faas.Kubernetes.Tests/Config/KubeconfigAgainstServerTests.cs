namespace Faas.Kubernetes.Tests.Config;

[Collection(KubernetesCollection.Name)]
public sealed class KubeconfigAgainstServerTests(KubernetesControlPlaneFixture fixture)
{
    [Fact]
    public async Task TokenKubeconfig_ReachesTheServer()
    {
        using var deadline = Deadline.Seconds(30);
        using var client = new KubernetesClient(KubernetesClientConfiguration.FromKubeConfigFile(fixture.KubeconfigPath));

        var namespaces = await client.Namespaces.ListAsync(cancellationToken: deadline.Token);

        Assert.Contains(namespaces.Items, ns => ns.Metadata.Name == "kube-system");
    }

    [Fact]
    public async Task ClientCertificateKubeconfig_AuthenticatesAsTheCertificatesUser()
    {
        using var deadline = Deadline.Seconds(30);
        var config = KubernetesClientConfiguration.FromKubeConfigFile(fixture.CertificateKubeconfigPath);
        Assert.Null(config.AccessToken);
        using var client = new KubernetesClient(config);

        // The certificate's organization is system:masters, so the admin may create.
        var ns = await Objects.NewNamespaceAsync(client, "cert-auth", deadline.Token);

        Assert.Equal("Active", (await client.Namespaces.GetAsync(ns, deadline.Token)).Status!.Phase);
    }

    [Fact]
    public async Task TokenFile_RotatedToken_IsUsedWithoutANewClient()
    {
        using var deadline = Deadline.Seconds(30);
        var folder = Directory.CreateTempSubdirectory("faas-rotate-").FullName;
        try
        {
            var path = Path.Combine(folder, "token");
            File.WriteAllText(path, "expired-token");
            using var client = new KubernetesClient(fixture.Configuration(token: null) with { TokenSource = new FileTokenSource(path) });
            await Assert.ThrowsAsync<KubernetesUnauthorizedException>(() => client.Namespaces.ListAsync(cancellationToken: deadline.Token));

            // What the kubelet does when it rotates the projected token: new file content.
            File.WriteAllText(path, KubernetesControlPlaneFixture.AdminToken);
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(5));

            var namespaces = await client.Namespaces.ListAsync(cancellationToken: deadline.Token);
            Assert.NotEmpty(namespaces.Items);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task SkipTlsVerify_AcceptsTheServerWithoutItsCa()
    {
        using var deadline = Deadline.Seconds(30);
        using var client = new KubernetesClient(new KubernetesClientConfiguration
        {
            Server = fixture.Server,
            AccessToken = KubernetesControlPlaneFixture.AdminToken,
            SkipTlsVerify = true,
        });

        var list = await client.Namespaces.ListAsync(cancellationToken: deadline.Token);

        Assert.NotEmpty(list.Items);
    }
}

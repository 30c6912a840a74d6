using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Faas.Kubernetes.Tests.Config;

public sealed class KubeConfigLoaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("faas-kubeconfig-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Load_CurrentContext_TakesServerTokenCaDataAndNamespace()
    {
        var (caPem, _) = SelfSigned("test-ca");
        var text = $$"""
            apiVersion: v1
            kind: Config
            current-context: b
            clusters:
            - name: one
              cluster:
                server: https://one.example:6443
            - name: two
              cluster:
                server: https://10.0.0.2:6443
                certificate-authority-data: {{Base64(caPem)}}
            users:
            - name: alice
              user:
                token: alice-token
            - name: bob
              user:
                token: bob-token
            contexts:
            - name: a
              context: {cluster: one, user: alice}
            - name: b
              context:
                cluster: two
                user: bob
                namespace: team-b
            """;

        var config = KubeConfigLoader.Load(text);

        Assert.Equal(new Uri("https://10.0.0.2:6443"), config.Server);
        Assert.Equal("bob-token", config.AccessToken);
        Assert.Equal("team-b", config.Namespace);
        Assert.NotNull(config.CaCertificates);
        Assert.Equal("CN=test-ca", Assert.Single(config.CaCertificates).Subject);
        Assert.False(config.SkipTlsVerify);
        Assert.Null(config.ClientCertificate);
    }

    [Fact]
    public void Load_NamedContext_OverridesCurrentContextAndDefaultsNamespace()
    {
        var text = """
            current-context: b
            clusters:
            - {name: one, cluster: {server: "https://one.example:6443", insecure-skip-tls-verify: true}}
            users:
            - {name: alice, user: {token: alice-token}}
            contexts:
            - {name: a, context: {cluster: one, user: alice}}
            - {name: b, context: {cluster: missing, user: alice}}
            """;

        var config = KubeConfigLoader.Load(text, context: "a");

        Assert.Equal(new Uri("https://one.example:6443"), config.Server);
        Assert.Equal("alice-token", config.AccessToken);
        Assert.Equal("default", config.Namespace);
        Assert.True(config.SkipTlsVerify);
    }

    [Fact]
    public void LoadFile_ClientCertificateAndCaFiles_ResolvedRelativeToTheKubeconfig()
    {
        var (caPem, _) = SelfSigned("file-ca");
        var (certPem, keyPem) = SelfSigned("client-user");
        Directory.CreateDirectory(Path.Combine(_folder, "pki"));
        File.WriteAllText(Path.Combine(_folder, "pki", "ca.crt"), caPem);
        File.WriteAllText(Path.Combine(_folder, "pki", "client.crt"), certPem);
        File.WriteAllText(Path.Combine(_folder, "pki", "client.key"), keyPem);
        var path = Path.Combine(_folder, "config");
        File.WriteAllText(path, """
            current-context: c
            clusters:
            - name: k
              cluster: {server: "https://127.0.0.1:6443", certificate-authority: pki/ca.crt}
            users:
            - name: u
              user: {client-certificate: pki/client.crt, client-key: pki/client.key}
            contexts:
            - {name: c, context: {cluster: k, user: u}}
            """);

        var config = KubernetesClientConfiguration.FromKubeConfigFile(path);

        Assert.NotNull(config.ClientCertificate);
        Assert.Equal("CN=client-user", config.ClientCertificate.Subject);
        Assert.True(config.ClientCertificate.HasPrivateKey);
        Assert.Equal("CN=file-ca", Assert.Single(config.CaCertificates!).Subject);
        Assert.Null(config.AccessToken);
    }

    [Fact]
    public void LoadFile_ClientCertificateData_IsUsable()
    {
        var (certPem, keyPem) = SelfSigned("data-user");
        var text = $$"""
            current-context: c
            clusters:
            - name: k
              cluster: {server: "https://127.0.0.1:6443"}
            users:
            - name: u
              user:
                client-certificate-data: {{Base64(certPem)}}
                client-key-data: {{Base64(keyPem)}}
            contexts:
            - name: c
              context: {cluster: k, user: u}
            """;

        var config = KubeConfigLoader.Load(text);

        Assert.Equal("CN=data-user", config.ClientCertificate!.Subject);
        Assert.True(config.ClientCertificate.HasPrivateKey);
    }

    [Fact]
    public async Task LoadFile_TokenFile_BecomesARereadTokenSource()
    {
        File.WriteAllText(Path.Combine(_folder, "token"), "from-file\n");
        var path = Path.Combine(_folder, "config");
        File.WriteAllText(path, """
            current-context: c
            clusters: [{name: k, cluster: {server: "https://127.0.0.1:6443"}}]
            users: [{name: u, user: {tokenFile: token}}]
            contexts: [{name: c, context: {cluster: k, user: u}}]
            """);

        var config = KubeConfigLoader.LoadFile(path);

        Assert.NotNull(config.TokenSource);
        Assert.Equal("from-file", await config.TokenSource.GetTokenAsync());
    }

    [Theory]
    [InlineData("clusters: []\nusers: []\ncontexts: []\n", "no context given and no current-context set")]
    [InlineData("current-context: x\ncontexts: []\n", "no entry named 'x' in contexts")]
    [InlineData("current-context: c\ncontexts: [{name: c, context: {cluster: k, user: u}}]\nclusters: [{name: k, cluster: {}}]\nusers: [{name: u, user: {}}]\n", "cluster 'k' has no server")]
    [InlineData("current-context: c\ncontexts: [{name: c, context: {cluster: k, user: u}}]\nclusters: [{name: k, cluster: {server: 'https://a:1'}}]\nusers: [{name: u, user: {exec: {command: aws}}}]\n", "exec or auth-provider plugin")]
    [InlineData("current-context: c\ncontexts: [{name: c, context: {cluster: k, user: u}}]\nclusters: [{name: k, cluster: {server: 'https://a:1'}}]\nusers: [{name: u, user: {client-certificate-data: bm9wZQ==}}]\n", "needs both the certificate and its key")]
    [InlineData("- just\n- a list\n", "expected a mapping at the top level")]
    [InlineData("key: [unclosed\n", "not valid YAML")]
    public void Load_BadConfig_SaysWhatIsWrong(string text, string expected)
    {
        var error = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.Load(text));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void LoadFile_Missing_NamesThePath()
    {
        var path = Path.Combine(_folder, "nope");
        var error = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.LoadFile(path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void DefaultPath_UsesFirstKubeconfigEntry()
    {
        Assert.Equal("/a/config", KubeConfigLoader.DefaultPath(name => name == "KUBECONFIG" ? "/a/config:/b/config" : null));
        Assert.EndsWith("/.kube/config", KubeConfigLoader.DefaultPath(_ => null));
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static (string CertPem, string KeyPem) SelfSigned(string commonName)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}

using System.Diagnostics;

namespace Faas.Testing.Kubernetes;

/// <summary>
/// Keys and certificates for a test control plane, made with openssl: a CA, the API server's serving
/// certificate (for 127.0.0.1 and localhost), an admin client certificate (group system:masters), the
/// service-account signing key pair, and for a fake kubelet its serving certificate (127.0.0.1) plus the
/// client certificate the API server presents to kubelets.
/// </summary>
internal sealed class TestPki
{
    private TestPki(string directory) => Directory = directory;

    public string Directory { get; }

    public string CaCert => Path.Combine(Directory, "ca.crt");

    public string CaKey => Path.Combine(Directory, "ca.key");

    public string ServerCert => Path.Combine(Directory, "server.crt");

    public string ServerKey => Path.Combine(Directory, "server.key");

    public string AdminCert => Path.Combine(Directory, "admin.crt");

    public string AdminKey => Path.Combine(Directory, "admin.key");

    public string KubeletCert => Path.Combine(Directory, "kubelet.crt");

    public string KubeletKey => Path.Combine(Directory, "kubelet.key");

    public string KubeletClientCert => Path.Combine(Directory, "kubelet-client.crt");

    public string KubeletClientKey => Path.Combine(Directory, "kubelet-client.key");

    public string ServiceAccountKey => Path.Combine(Directory, "sa.key");

    public string ServiceAccountPublicKey => Path.Combine(Directory, "sa.pub");

    public static async Task<TestPki> CreateAsync(string directory, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(directory);
        var pki = new TestPki(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "server.ext"),
            "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n" +
            "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc,IP:10.96.0.1\n", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, "kubelet.ext"),
            "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n" +
            "subjectAltName=IP:127.0.0.1,DNS:localhost\n", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, "client.ext"),
            "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n", cancellationToken);

        await OpenSslAsync(directory, cancellationToken, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "3",
            "-keyout", pki.CaKey, "-out", pki.CaCert, "-subj", "/CN=faas-test-ca");
        await SignedAsync(pki, "server", "/CN=kube-apiserver", "server.ext", cancellationToken);
        await SignedAsync(pki, "admin", "/O=system:masters/CN=faas-admin", "client.ext", cancellationToken);
        await SignedAsync(pki, "kubelet", "/CN=faas-test-kubelet", "kubelet.ext", cancellationToken);
        await SignedAsync(pki, "kubelet-client", "/O=system:masters/CN=kube-apiserver-kubelet-client", "client.ext", cancellationToken);
        await OpenSslAsync(directory, cancellationToken, "genrsa", "-out", pki.ServiceAccountKey, "2048");
        await OpenSslAsync(directory, cancellationToken, "rsa", "-in", pki.ServiceAccountKey, "-pubout", "-out", pki.ServiceAccountPublicKey);
        return pki;
    }

    private static async Task SignedAsync(TestPki pki, string name, string subject, string extensions, CancellationToken cancellationToken)
    {
        var key = Path.Combine(pki.Directory, name + ".key");
        var csr = Path.Combine(pki.Directory, name + ".csr");
        await OpenSslAsync(pki.Directory, cancellationToken, "req", "-newkey", "rsa:2048", "-nodes", "-sha256", "-keyout", key, "-out", csr, "-subj", subject);
        await OpenSslAsync(pki.Directory, cancellationToken, "x509", "-req", "-sha256", "-days", "3", "-in", csr, "-CA", pki.CaCert, "-CAkey", pki.CaKey,
            "-CAcreateserial", "-out", Path.Combine(pki.Directory, name + ".crt"), "-extfile", Path.Combine(pki.Directory, extensions));
    }

    private static async Task OpenSslAsync(string directory, CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl could not be started");
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} failed ({process.ExitCode}): {await stderr}");
        }
    }
}

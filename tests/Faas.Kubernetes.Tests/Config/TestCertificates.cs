using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Faas.Kubernetes.Tests.Config;

internal static class TestCertificates
{
    public static readonly string CaPem = Create();

    private static string Create()
    {
        using var key = ECDsa.Create();
        var request = new CertificateRequest("CN=unit-ca", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return certificate.ExportCertificatePem();
    }
}

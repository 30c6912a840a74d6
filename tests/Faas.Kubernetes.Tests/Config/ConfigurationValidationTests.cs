using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Faas.Kubernetes.Tests.Config;

public sealed class ConfigurationValidationTests
{
    [Fact]
    public void Client_InvalidConfiguration_ListsEveryProblem()
    {
        using var key = RSA.Create(2048);
        using var certificateWithoutKey = X509CertificateLoader.LoadCertificate(
            new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                .CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1)).Export(X509ContentType.Cert));
        var config = new KubernetesClientConfiguration
        {
            Server = new Uri("ftp://cluster.example"),
            ClientCertificate = certificateWithoutKey,
            Username = "alice",
            RequestTimeout = TimeSpan.Zero,
            Namespace = " ",
        };

        var error = Assert.Throws<ArgumentException>(() => new KubernetesClient(config));

        Assert.Contains("Server 'ftp://cluster.example/' must be an absolute http or https address.", error.Message);
        Assert.Contains("ClientCertificate has no private key", error.Message);
        Assert.Contains("Username and Password must be given together.", error.Message);
        Assert.Contains("RequestTimeout '00:00:00' must be positive", error.Message);
        Assert.Contains("Namespace must not be empty.", error.Message);
    }

    [Theory]
    [InlineData("""{"kind":"Status","apiVersion":"v1","status":"Failure","message":"pods \"x\" not found","reason":"NotFound","code":404}""", "pods \"x\" not found", "NotFound")]
    [InlineData("upstream connect error", "upstream connect error", null)]
    public void ErrorBody_StatusOrPlainText_BecomesTheMessage(string body, string message, string? reason)
    {
        var status = KubernetesTransport.ParseStatus(body, HttpStatusCode.NotFound);

        var error = KubernetesException.FromStatus(HttpStatusCode.NotFound, status, "get Pod ns/x");

        Assert.IsType<KubernetesNotFoundException>(error);
        Assert.Equal(message, error.ServerMessage);
        Assert.Equal(reason, error.Status!.Reason);
        Assert.Equal($"get Pod ns/x: {message} (HTTP 404)", error.Message);
    }

    [Theory]
    [InlineData(HttpStatusCode.Conflict, typeof(KubernetesConflictException))]
    [InlineData(HttpStatusCode.UnprocessableEntity, typeof(KubernetesInvalidException))]
    [InlineData(HttpStatusCode.Forbidden, typeof(KubernetesForbiddenException))]
    [InlineData(HttpStatusCode.Unauthorized, typeof(KubernetesUnauthorizedException))]
    [InlineData(HttpStatusCode.Gone, typeof(KubernetesGoneException))]
    [InlineData(HttpStatusCode.TooManyRequests, typeof(KubernetesApiException))]
    public void StatusCodes_MapToTheirLeaf(HttpStatusCode code, Type expected)
    {
        Assert.IsType(expected, KubernetesException.FromStatus(code, null, "op"));
    }
}

using System.Net;
using Faas.Testing.Net;

namespace Faas.Kubernetes.Tests.Errors;

[Collection(KubernetesCollection.Name)]
public sealed class ApiErrorTests(KubernetesControlPlaneFixture fixture)
{
    private readonly KubernetesClient _client = fixture.Client;

    [Fact]
    public async Task Get_Missing_IsNotFoundWithTheServersMessage()
    {
        using var deadline = Deadline.Seconds(30);
        var error = await Assert.ThrowsAsync<KubernetesNotFoundException>(() => _client.Deployments.GetAsync("default", "no-such-fn", deadline.Token));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal("NotFound", error.Status!.Reason);
        Assert.Equal("deployments.apps \"no-such-fn\" not found", error.ServerMessage);
        Assert.Contains("deployments.apps \"no-such-fn\" not found", error.Message);
    }

    [Fact]
    public async Task Create_Existing_IsAlreadyExistsConflict()
    {
        using var deadline = Deadline.Seconds(30);
        var ns = await Objects.NewNamespaceAsync(_client, "err-409", deadline.Token);
        await _client.Secrets.CreateAsync(ns, Objects.Secret("twice"), deadline.Token);

        var error = await Assert.ThrowsAsync<KubernetesConflictException>(() => _client.Secrets.CreateAsync(ns, Objects.Secret("twice"), deadline.Token));

        Assert.True(error.IsAlreadyExists);
        Assert.Contains("already exists", error.ServerMessage);
    }

    [Fact]
    public async Task Replace_StaleResourceVersion_IsConflict()
    {
        using var deadline = Deadline.Seconds(30);
        var ns = await Objects.NewNamespaceAsync(_client, "err-stale", deadline.Token);
        var first = await _client.Secrets.CreateAsync(ns, Objects.Secret("cas"), deadline.Token);
        var second = await _client.Secrets.GetAsync(ns, "cas", deadline.Token);
        second.Metadata.Labels = new() { ["v"] = "2" };
        await _client.Secrets.ReplaceAsync(second, deadline.Token);

        first.Metadata.Labels = new() { ["v"] = "stale" };
        var error = await Assert.ThrowsAsync<KubernetesConflictException>(() => _client.Secrets.ReplaceAsync(first, deadline.Token));

        Assert.False(error.IsAlreadyExists);
        Assert.Contains("the object has been modified", error.ServerMessage);
    }

    [Fact]
    public async Task Create_Invalid_IsUnprocessableWithCauses()
    {
        using var deadline = Deadline.Seconds(30);
        var error = await Assert.ThrowsAsync<KubernetesInvalidException>(() =>
            _client.Deployments.CreateAsync("default", Objects.Deployment("Not_A_Valid_Name"), deadline.Token));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.StatusCode);
        Assert.Equal("Invalid", error.Status!.Reason);
        Assert.Contains(error.Status.Details!.Causes!, cause => cause.Field == "metadata.name");
        Assert.Contains("Not_A_Valid_Name", error.ServerMessage);
    }

    [Fact]
    public async Task RbacDenied_IsForbiddenNamingUserVerbAndResource()
    {
        using var deadline = Deadline.Seconds(30);
        var ns = await Objects.NewNamespaceAsync(_client, "err-403", deadline.Token);
        // The limited user may read deployments in this namespace, nothing more.
        await fixture.SendRawAsync(HttpMethod.Post, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles",
            """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"read-deployments"},"rules":[{"apiGroups":["apps"],"resources":["deployments"],"verbs":["get","list","watch"]}]}""",
            deadline.Token);
        await fixture.SendRawAsync(HttpMethod.Post, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings",
            $$"""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"limited-read"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"read-deployments"},"subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"{{KubernetesControlPlaneFixture.LimitedUser}}"}]}""",
            deadline.Token);
        using var limited = fixture.CreateClient(KubernetesControlPlaneFixture.LimitedToken);

        var allowed = await Objects.EventuallyAsync(async () =>
        {
            try
            {
                return await limited.Deployments.ListAsync(ns, cancellationToken: deadline.Token);
            }
            catch (KubernetesForbiddenException)
            {
                return null; // The RBAC authorizer's cache has not seen the binding yet.
            }
        }, deadline.Token);
        Assert.Empty(allowed.Items);

        var error = await Assert.ThrowsAsync<KubernetesForbiddenException>(() => limited.Deployments.CreateAsync(ns, Objects.Deployment("denied"), deadline.Token));

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Contains($"User \"{KubernetesControlPlaneFixture.LimitedUser}\" cannot create resource \"deployments\"", error.ServerMessage);
        await Assert.ThrowsAsync<KubernetesForbiddenException>(() => limited.Secrets.ListAsync(ns, cancellationToken: deadline.Token));
    }

    [Fact]
    public async Task WrongToken_IsUnauthorized()
    {
        using var deadline = Deadline.Seconds(30);
        using var client = fixture.CreateClient("not-a-token");

        var error = await Assert.ThrowsAsync<KubernetesUnauthorizedException>(() => client.Namespaces.ListAsync(cancellationToken: deadline.Token));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Fact]
    public async Task NothingListening_IsUnavailable()
    {
        using var deadline = Deadline.Seconds(30);
        var port = TestPorts.Next();
        using var client = fixture.CreateClient(server: new Uri($"https://127.0.0.1:{port}"));

        var error = await Assert.ThrowsAsync<KubernetesUnavailableException>(() => client.Namespaces.ListAsync(cancellationToken: deadline.Token));

        Assert.Null(error.StatusCode);
        Assert.Contains($"127.0.0.1:{port}", error.Message);
    }

    [Fact]
    public async Task UntrustedServerCertificate_IsUnavailable()
    {
        using var deadline = Deadline.Seconds(30);
        using var client = new KubernetesClient(new KubernetesClientConfiguration
        {
            Server = fixture.Server,
            AccessToken = KubernetesControlPlaneFixture.AdminToken,
            CaCertificates = [System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(
                System.Text.Encoding.ASCII.GetBytes(Config.TestCertificates.CaPem))],
        });

        await Assert.ThrowsAsync<KubernetesUnavailableException>(() => client.Namespaces.ListAsync(cancellationToken: deadline.Token));
    }
}

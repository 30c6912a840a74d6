using Faas.Gateway.Tests.Fakes;

namespace Faas.Gateway.Tests.SystemApi;

/// <summary>The secrets and namespace routes go through the gateway's auth and reach the controller unchanged.</summary>
public sealed class SecretsAndNamespacesProxyTests
{
    [Theory]
    [InlineData("GET", "/system/secrets?namespace=dev")]
    [InlineData("POST", "/system/secrets")]
    [InlineData("PUT", "/system/secrets")]
    [InlineData("DELETE", "/system/secrets")]
    [InlineData("GET", "/system/namespaces")]
    [InlineData("GET", "/system/namespace/dev")]
    [InlineData("POST", "/system/namespace/")]
    [InlineData("PUT", "/system/namespace/dev")]
    [InlineData("DELETE", "/system/namespace/dev")]
    public async Task WithoutCredentials_Is401_AndNothingReachesTheController(string method, string path)
    {
        using var secrets = new SecretFolder("admin", "s3cret");
        await using var controller = await FakeController.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(controller.Url, secrets.Settings);

        using var response = await gateway.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{\"name\":\"dev\",\"value\":\"v\"}", Encoding.UTF8, "application/json") });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain(controller.Calls, c => c.PathAndQuery.StartsWith(path.Split('?')[0], StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("POST", "/system/secrets", "{\"name\":\"api-key\",\"value\":\"v\",\"namespace\":\"dev\"}")]
    [InlineData("PUT", "/system/secrets", "{\"name\":\"api-key\",\"rawValue\":\"AQI=\"}")]
    [InlineData("DELETE", "/system/secrets", "{\"name\":\"api-key\"}")]
    [InlineData("GET", "/system/secrets?namespace=dev", "")]
    [InlineData("POST", "/system/namespace/", "{\"name\":\"dev\",\"labels\":{\"a\":\"b\"}}")]
    [InlineData("PUT", "/system/namespace/dev", "{\"labels\":{\"a\":\"c\"}}")]
    [InlineData("DELETE", "/system/namespace/dev", "")]
    [InlineData("GET", "/system/namespaces", "")]
    public async Task WithCredentials_IsForwardedVerbatim_WithTheGatewaysCredentials(string method, string path, string body)
    {
        using var secrets = new SecretFolder("admin", "s3cret");
        await using var controller = await FakeController.StartAsync();
        controller.RequiredAuthorization = secrets.AuthorizationValue;
        await using var gateway = await GatewayHost.StartAsync(controller.Url, secrets.Settings);

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body.Length > 0)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        request.Headers.Authorization = AuthenticationHeaderValue.Parse(secrets.AuthorizationValue);
        using var response = await gateway.Client.SendAsync(request);

        // The fake controller has no such route: its 404 comes back unchanged.
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var call = Assert.Single(controller.Calls, c => c.PathAndQuery == path);
        Assert.Equal(method, call.Method);
        Assert.Equal(body, call.Body);
        Assert.Equal(secrets.AuthorizationValue, call.Authorization);
    }
}

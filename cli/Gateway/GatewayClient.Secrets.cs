using System.Net;
using Faas.Contracts.Json;
using Faas.Contracts.Secrets;
using Faas.Contracts.System;

namespace Faas.Cli.Gateway;

/// <summary><c>/system/secrets</c> and the namespace routes. Expected "no"s (409, 404) come back as the status; other failures throw.</summary>
public sealed partial class GatewayClient
{
    public async Task<IReadOnlyList<Secret>> ListSecretsAsync(string? @namespace, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, "/system/secrets" + Query(("namespace", @namespace)), null, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await ReadJsonAsync(response, FaasJsonContext.Default.ListSecret, cancellationToken) ?? [];
    }

    /// <summary>POST; <see cref="HttpStatusCode.Conflict"/> when it exists.</summary>
    public Task<HttpStatusCode> CreateSecretAsync(Secret secret, CancellationToken cancellationToken = default) =>
        SendSecretAsync(HttpMethod.Post, secret, HttpStatusCode.Conflict, cancellationToken);

    /// <summary>PUT; <see cref="HttpStatusCode.NotFound"/> when there is no such secret.</summary>
    public Task<HttpStatusCode> UpdateSecretAsync(Secret secret, CancellationToken cancellationToken = default) =>
        SendSecretAsync(HttpMethod.Put, secret, HttpStatusCode.NotFound, cancellationToken);

    /// <summary>DELETE; <see cref="HttpStatusCode.NotFound"/> when there is no such secret.</summary>
    public Task<HttpStatusCode> DeleteSecretAsync(string name, string? @namespace, CancellationToken cancellationToken = default) =>
        SendSecretAsync(HttpMethod.Delete, new Secret { Name = name, Namespace = @namespace }, HttpStatusCode.NotFound, cancellationToken);

    public async Task<IReadOnlyList<string>> ListNamespacesAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, "/system/namespaces", null, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await ReadJsonAsync(response, FaasJsonContext.Default.ListString, cancellationToken) ?? [];
    }

    /// <summary>POST <c>/system/namespace/</c> with the name in the body (as the OpenFaaS go-sdk); <see cref="HttpStatusCode.Conflict"/> when it exists.</summary>
    public async Task<HttpStatusCode> CreateNamespaceAsync(FunctionNamespace ns, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Post, "/system/namespace/", Json(ns, FaasJsonContext.Default.FunctionNamespace), cancellationToken);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            return response.StatusCode;
        }

        await EnsureSuccessAsync(response, cancellationToken);
        return response.StatusCode;
    }

    /// <summary><see cref="HttpStatusCode.NotFound"/> when there is no such namespace; a 409 (still holds functions) throws with the gateway's message.</summary>
    public async Task<HttpStatusCode> DeleteNamespaceAsync(string name, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Delete, "/system/namespace/" + Uri.EscapeDataString(name), null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return response.StatusCode;
        }

        await EnsureSuccessAsync(response, cancellationToken);
        return response.StatusCode;
    }

    private async Task<HttpStatusCode> SendSecretAsync(HttpMethod method, Secret secret, HttpStatusCode expectedRefusal, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, "/system/secrets", Json(secret, FaasJsonContext.Default.Secret), cancellationToken);
        if (response.StatusCode == expectedRefusal)
        {
            return response.StatusCode;
        }

        await EnsureSuccessAsync(response, cancellationToken);
        return response.StatusCode;
    }
}

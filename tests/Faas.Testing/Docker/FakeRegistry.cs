using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Faas.Testing.Docker;

/// <summary>
/// Just enough of the Docker Registry HTTP API v2 for a daemon to push to it: ping, blob HEAD,
/// upload start/PATCH/PUT (digest verified) and manifest PUT. Plain HTTP on 127.0.0.1 with an
/// ephemeral port (dockerd treats 127.0.0.0/8 registries as insecure, so it falls back to HTTP).
/// With <see cref="StartAsync"/>'s credentials set, every request needs that Basic authorization.
/// </summary>
public sealed class FakeRegistry : IAsyncDisposable
{

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, MemoryStream> _uploads = new();
    private readonly string? _expectedAuthorization;
    private int _unauthorized;

    private FakeRegistry(WebApplication app, string? expectedAuthorization)
    {
        _app = app;
        _expectedAuthorization = expectedAuthorization;
    }

    /// <summary><c>127.0.0.1:port</c>, the registry part of an image reference.</summary>
    public string Host { get; private set; } = "";

    /// <summary>Verified blobs by digest (<c>sha256:...</c>).</summary>
    public ConcurrentDictionary<string, byte[]> Blobs { get; } = new();

    /// <summary>Manifests by "repository:reference" (both the tag and the digest are keys).</summary>
    public ConcurrentDictionary<string, byte[]> Manifests { get; } = new();

    /// <summary>"METHOD path" of every request, in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Requests refused for missing or wrong credentials.</summary>
    public int Unauthorized => Volatile.Read(ref _unauthorized);

    public static async Task<FakeRegistry> StartAsync(string? username = null, string? password = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var expected = username is null ? null : "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));
        var registry = new FakeRegistry(app, expected);
        app.Run(registry.HandleAsync);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        registry.Host = $"127.0.0.1:{address.Port}";
        return registry;
    }

    public static string Sha256(byte[] data) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(data));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Path.Value ?? "";
        Requests.Enqueue($"{request.Method} {path}");
        response.Headers["Docker-Distribution-API-Version"] = "registry/2.0";

        if (_expectedAuthorization is not null && request.Headers.Authorization.ToString() != _expectedAuthorization)
        {
            Interlocked.Increment(ref _unauthorized);
            response.StatusCode = 401;
            response.Headers.WWWAuthenticate = "Basic realm=\"fake-registry\"";
            await WriteErrorsAsync(context, "UNAUTHORIZED", "authentication required");
            return;
        }

        if (path is "/v2/" or "/v2")
        {
            response.StatusCode = 200;
            return;
        }

        if (!path.StartsWith("/v2/", StringComparison.Ordinal))
        {
            response.StatusCode = 404;
            return;
        }

        var rest = path["/v2/".Length..];
        int at;
        if ((at = rest.IndexOf("/blobs/uploads", StringComparison.Ordinal)) > 0)
        {
            await UploadAsync(context, rest[..at], rest[(at + "/blobs/uploads".Length)..].Trim('/'));
        }
        else if ((at = rest.IndexOf("/blobs/", StringComparison.Ordinal)) > 0)
        {
            var digest = rest[(at + "/blobs/".Length)..];
            if (Blobs.TryGetValue(digest, out var blob))
            {
                response.StatusCode = 200;
                response.ContentLength = blob.Length;
                response.ContentType = "application/octet-stream";
                response.Headers["Docker-Content-Digest"] = digest;
                if (HttpMethods.IsGet(request.Method))
                {
                    await response.Body.WriteAsync(blob, context.RequestAborted);
                }
            }
            else
            {
                await ErrorAsync(context, 404, "BLOB_UNKNOWN", "blob unknown to registry");
            }
        }
        else if ((at = rest.IndexOf("/manifests/", StringComparison.Ordinal)) > 0)
        {
            await ManifestAsync(context, rest[..at], rest[(at + "/manifests/".Length)..]);
        }
        else
        {
            response.StatusCode = 404;
        }
    }

    private async Task UploadAsync(HttpContext context, string repository, string uuid)
    {
        var request = context.Request;
        var response = context.Response;
        if (HttpMethods.IsPost(request.Method) && uuid.Length == 0)
        {
            uuid = Guid.NewGuid().ToString("N");
            _uploads[uuid] = new MemoryStream();
            AnswerUpload(response, repository, uuid, 0, 202);
            return;
        }

        if (!_uploads.TryGetValue(uuid, out var upload))
        {
            await ErrorAsync(context, 404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry");
            return;
        }

        await request.Body.CopyToAsync(upload, context.RequestAborted);
        if (HttpMethods.IsPatch(request.Method))
        {
            AnswerUpload(response, repository, uuid, upload.Length, 202);
            return;
        }

        if (!HttpMethods.IsPut(request.Method))
        {
            response.StatusCode = 405;
            return;
        }

        var digest = request.Query["digest"].ToString();
        var data = upload.ToArray();
        _uploads.TryRemove(uuid, out _);
        if (Sha256(data) != digest)
        {
            await ErrorAsync(context, 400, "DIGEST_INVALID", $"provided digest {digest} did not match uploaded content {Sha256(data)}");
            return;
        }

        Blobs[digest] = data;
        response.StatusCode = 201;
        response.Headers.Location = $"/v2/{repository}/blobs/{digest}";
        response.Headers["Docker-Content-Digest"] = digest;
    }

    private static void AnswerUpload(HttpResponse response, string repository, string uuid, long length, int status)
    {
        response.StatusCode = status;
        response.Headers.Location = $"/v2/{repository}/blobs/uploads/{uuid}";
        response.Headers["Docker-Upload-UUID"] = uuid;
        response.Headers["Range"] = $"0-{Math.Max(0, length - 1)}";
        response.ContentLength = 0;
    }

    private async Task ManifestAsync(HttpContext context, string repository, string reference)
    {
        var request = context.Request;
        var response = context.Response;
        if (HttpMethods.IsPut(request.Method))
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, context.RequestAborted);
            var data = body.ToArray();
            var digest = Sha256(data);
            Manifests[$"{repository}:{reference}"] = data;
            Manifests[$"{repository}:{digest}"] = data;
            response.StatusCode = 201;
            response.Headers.Location = $"/v2/{repository}/manifests/{digest}";
            response.Headers["Docker-Content-Digest"] = digest;
            return;
        }

        if (Manifests.TryGetValue($"{repository}:{reference}", out var manifest))
        {
            response.StatusCode = 200;
            response.ContentLength = manifest.Length;
            response.ContentType = "application/vnd.docker.distribution.manifest.v2+json";
            response.Headers["Docker-Content-Digest"] = Sha256(manifest);
            if (HttpMethods.IsGet(request.Method))
            {
                await response.Body.WriteAsync(manifest, context.RequestAborted);
            }

            return;
        }

        await ErrorAsync(context, 404, "MANIFEST_UNKNOWN", "manifest unknown");
    }

    private static async Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        await WriteErrorsAsync(context, code, message);
    }

    private static Task WriteErrorsAsync(HttpContext context, string code, string message)
    {
        context.Response.ContentType = "application/json";
        var body = $"{{\"errors\":[{{\"code\":\"{JsonEncodedText.Encode(code)}\",\"message\":\"{JsonEncodedText.Encode(message)}\"}}]}}";
        return context.Response.WriteAsync(body, context.RequestAborted);
    }
}

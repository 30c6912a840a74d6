using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Faas.Docker;

/// <summary>Image calls: inspect, build, import, push, tag and delete.</summary>
public sealed class ImageOperations
{
    private readonly DockerTransport _transport;

    internal ImageOperations(DockerTransport transport) => _transport = transport;

    /// <summary><c>GET /images/{name}/json</c>. Throws <see cref="DockerNotFoundException"/> when there is no such image.</summary>
    public Task<ImageInspectResponse> InspectImageAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return _transport.SendJsonAsync($"/images/{DockerPath.Escape(name)}/json", versioned: true, DockerJsonContext.Default.ImageInspectResponse, "Inspect image", cancellationToken);
    }

    /// <summary>
    /// <c>POST /build</c> with <paramref name="context"/> (a tar, see <see cref="BuildContext"/>; read from its
    /// current position and not disposed) as the body,
    /// streaming the daemon's output. The request is sent when enumeration starts. An <c>error</c> line
    /// throws <see cref="DockerBuildException"/>; cancelling ends the sequence without an exception.
    /// </summary>
    public IAsyncEnumerable<BuildProgress> BuildImageAsync(Stream context, ImageBuildParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(parameters);

        var query = new QueryString()
            .AddEach("t", parameters.Tags)
            .Add("dockerfile", parameters.Dockerfile)
            .Add("rm", parameters.Remove)
            .Add("forcerm", parameters.ForceRemove)
            .Add("pull", parameters.Pull ? true : null)
            .Add("nocache", parameters.NoCache ? true : null);
        if (parameters.BuildArgs is { Count: > 0 } args)
        {
            query.Add("buildargs", JsonSerializer.Serialize(new Dictionary<string, string>(args), DockerJsonContext.Default.DictionaryStringString));
        }

        if (parameters.Labels is { Count: > 0 } labels)
        {
            query.Add("labels", JsonSerializer.Serialize(new Dictionary<string, string>(labels), DockerJsonContext.Default.DictionaryStringString));
        }

        return ThrowOnError(
            StreamPump.RunAsync(
                _transport,
                "Build image",
                token => _transport.SendAsync(HttpMethod.Post, "/build" + query, versioned: true, DockerTransport.TarContent(context), Timeout.InfiniteTimeSpan, "Build image", token),
                stream => new JsonLineReader<BuildProgress>(stream, DockerJsonContext.Default.BuildProgress),
                (reader, token) => reader.ReadAsync(token),
                cancellationToken),
            "Build image",
            static (message, daemonMessage, code) => new DockerBuildException(message, daemonMessage, code),
            cancellationToken);
    }

    /// <summary>
    /// <c>POST /images/create?fromSrc=-</c>: imports <paramref name="rootfsTar"/> as a single-layer image and
    /// returns its id (<c>sha256:...</c>). The stream is read from its current position and not disposed.
    /// </summary>
    public async Task<string> ImportImageAsync(Stream rootfsTar, ImageImportParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rootfsTar);
        ArgumentNullException.ThrowIfNull(parameters);

        var query = new QueryString()
            .Add("fromSrc", "-")
            .Add("repo", parameters.Repository)
            .Add("tag", parameters.Tag)
            .Add("message", parameters.Message)
            .AddEach("changes", parameters.Changes);

        string? id = null;
        var lines = StreamPump.RunAsync(
            _transport,
            "Import image",
            token => _transport.SendAsync(HttpMethod.Post, "/images/create" + query, versioned: true, DockerTransport.TarContent(rootfsTar), Timeout.InfiniteTimeSpan, "Import image", token),
            stream => new JsonLineReader<BuildProgress>(stream, DockerJsonContext.Default.BuildProgress),
            (reader, token) => reader.ReadAsync(token),
            cancellationToken);
        await foreach (var line in lines.ConfigureAwait(false))
        {
            if (line.Error is not null)
            {
                throw new DockerServerException($"Import image: {line.Error}", System.Net.HttpStatusCode.InternalServerError, line.Error);
            }

            if (line.Status?.StartsWith("sha256:", StringComparison.Ordinal) == true)
            {
                id = line.Status;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return id ?? throw new DockerServerException("Import image: the daemon did not report an image id", System.Net.HttpStatusCode.InternalServerError);
    }

    /// <summary>
    /// <c>POST /images/{name}/push?tag=</c>: pushes a local image to the registry its name points at,
    /// streaming the daemon's progress. <paramref name="auth"/> goes in <c>X-Registry-Auth</c> (the daemon
    /// wants the header even without credentials, then as <c>{}</c>). The request is sent when enumeration
    /// starts. No such local image throws <see cref="DockerNotFoundException"/> (whether the daemon answers 404
    /// or streams it as an error line); an <c>error</c> line
    /// (registry unreachable, denied, ...) throws <see cref="DockerPushException"/> with the daemon's message.
    /// The last lines carry <see cref="BuildAux.Digest"/> on success.
    /// </summary>
    public IAsyncEnumerable<BuildProgress> PushImageAsync(string name, string? tag = null, RegistryAuth? auth = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var query = new QueryString().Add("tag", tag);
        KeyValuePair<string, string>[] headers = [new("X-Registry-Auth", EncodeAuth(auth))];
        return ThrowOnError(
            StreamPump.RunAsync(
                _transport,
                "Push image",
                token => _transport.SendAsync(HttpMethod.Post, $"/images/{DockerPath.Escape(name)}/push{query}", versioned: true, null, Timeout.InfiniteTimeSpan, "Push image", token, headers),
                stream => new JsonLineReader<BuildProgress>(stream, DockerJsonContext.Default.BuildProgress),
                (reader, token) => reader.ReadAsync(token),
                cancellationToken),
            "Push image",
            // Older daemons report a missing local image as a stream error line, newer ones as HTTP 404:
            // both become DockerNotFoundException.
            static (message, daemonMessage, _) => daemonMessage.Contains("does not exist locally", StringComparison.OrdinalIgnoreCase)
                ? new DockerNotFoundException(message, daemonMessage)
                : new DockerPushException(message, daemonMessage),
            cancellationToken);
    }

    /// <summary>The <c>X-Registry-Auth</c> value: base64url (with padding, as the daemon decodes it) of the JSON.</summary>
    internal static string EncodeAuth(RegistryAuth? auth)
    {
        var json = auth is null ? "{}"u8.ToArray() : JsonSerializer.SerializeToUtf8Bytes(auth, DockerJsonContext.Default.RegistryAuth);
        return Convert.ToBase64String(json).Replace('+', '-').Replace('/', '_');
    }

    /// <summary><c>POST /images/{name}/tag</c>: adds <paramref name="repository"/>:<paramref name="tag"/> to an image.</summary>
    public Task TagImageAsync(string name, string repository, string? tag = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(repository);
        var query = new QueryString().Add("repo", repository).Add("tag", tag);
        return _transport.SendNoContentAsync(HttpMethod.Post, $"/images/{DockerPath.Escape(name)}/tag{query}", null, _transport.RequestTimeout, "Tag image", cancellationToken);
    }

    /// <summary>
    /// <c>DELETE /images/{name}</c>: removes a tag, and the image once no tag is left.
    /// <paramref name="force"/> also removes it while containers use it.
    /// </summary>
    public Task<IReadOnlyList<ImageDeleteResponse>> DeleteImageAsync(string name, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var query = new QueryString().Add("force", force ? true : null);
        return _transport.SendJsonAsync(
            HttpMethod.Delete, $"/images/{DockerPath.Escape(name)}{query}", versioned: true, null, DockerJsonContext.Default.IReadOnlyListImageDeleteResponse, _transport.RequestTimeout, "Delete image", cancellationToken);
    }

    private static async IAsyncEnumerable<BuildProgress> ThrowOnError(
        IAsyncEnumerable<BuildProgress> lines, string operation, Func<string, string, int?, DockerException> failure, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var line in lines.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (line.Error is not null)
            {
                var message = line.ErrorDetail?.Message ?? line.Error;
                throw failure($"{operation}: {message}", message, line.ErrorDetail?.Code);
            }

            yield return line;
        }
    }
}

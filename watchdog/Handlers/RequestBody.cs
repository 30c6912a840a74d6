namespace Faas.Watchdog.Handlers;

/// <summary>Buffers the request body for the shapes that take it whole; the server enforces <c>max_request_body</c> while reading.</summary>
internal static class RequestBody
{
    public static async Task<byte[]> ReadAllAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is long length)
        {
            if (length == 0)
            {
                return [];
            }

            // The Content-Length pre-check has already bounded length by max_request_body.
            var buffer = new byte[length];
            await request.Body.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer;
        }

        using var copy = new MemoryStream();
        await request.Body.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        return copy.ToArray();
    }
}

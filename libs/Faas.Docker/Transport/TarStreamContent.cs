using System.Net;

namespace Faas.Docker;

/// <summary>
/// Sends a caller's tar stream as <c>application/x-tar</c> without disposing it (unlike
/// <see cref="StreamContent"/>): the caller owns the stream it passed in.
/// </summary>
internal sealed class TarStreamContent : HttpContent
{
    private readonly Stream _stream;

    public TarStreamContent(Stream stream)
    {
        _stream = stream;
        Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-tar");
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => _stream.CopyToAsync(stream);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        _stream.CopyToAsync(stream, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = _stream.CanSeek ? _stream.Length - _stream.Position : 0;
        return _stream.CanSeek;
    }
}

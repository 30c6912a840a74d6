using System.Text;

namespace Faas.Function;

/// <summary>The HTTP request as an <see cref="IHttpFunction"/> sees it.</summary>
public sealed class FunctionRequest
{
    public FunctionRequest(string method, string path, string queryString, IReadOnlyDictionary<string, string[]> query, IReadOnlyDictionary<string, string> headers, Stream body)
    {
        Method = method;
        Path = path;
        QueryString = queryString;
        Query = query;
        Headers = headers;
        Body = body;
    }

    public string Method { get; }

    /// <summary>The path below the function, always starting with <c>/</c>: <c>/function/echo/a/b</c> arrives as <c>/a/b</c>.</summary>
    public string Path { get; }

    /// <summary>The raw query string including the leading <c>?</c>, or empty.</summary>
    public string QueryString { get; }

    public IReadOnlyDictionary<string, string[]> Query { get; }

    /// <summary>Request headers, case-insensitive; multiple values are joined with <c>", "</c>.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The request body, streamed from the client.</summary>
    public Stream Body { get; }

    public string? ContentType => Headers.TryGetValue("Content-Type", out var value) ? value : null;

    public async Task<string> ReadBodyAsStringAsync(CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<byte[]> ReadBodyAsBytesAsync(CancellationToken cancellationToken = default)
    {
        using var buffer = new MemoryStream();
        await Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }
}

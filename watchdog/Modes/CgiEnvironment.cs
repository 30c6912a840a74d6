using System.Text;

namespace Faas.Watchdog.Modes;

/// <summary>
/// The classic watchdog's CGI-style variables for a forked process: <c>Http_Method</c>,
/// <c>Http_Path</c>, <c>Http_Query</c> and <c>Http_&lt;Header_Name&gt;</c> (Go's canonical header
/// name, dashes as underscores, first value), e.g. <c>Content-Type</c> → <c>Http_Content_Type</c>.
/// </summary>
internal static class CgiEnvironment
{
    public static void Apply(IDictionary<string, string?> environment, HttpRequest request)
    {
        foreach (var (name, values) in request.Headers)
        {
            if (values.Count > 0 && values[0] is { } value)
            {
                environment["Http_" + Canonical(name)] = value;
            }
        }

        environment["Http_Method"] = request.Method;
        if (request.Path.HasValue)
        {
            environment["Http_Path"] = request.Path.Value;
        }

        if (request.QueryString.HasValue && request.QueryString.Value!.Length > 1)
        {
            environment["Http_Query"] = request.QueryString.Value[1..];
        }

        if (request.ContentLength is long length)
        {
            environment["Http_ContentLength"] = length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary><c>x-call-id</c> → <c>X_Call_Id</c>: upper-case after each dash, lower-case elsewhere, dashes as underscores.</summary>
    public static string Canonical(string header)
    {
        var name = new StringBuilder(header.Length);
        var upper = true;
        foreach (var c in header)
        {
            if (c == '-')
            {
                name.Append('_');
                upper = true;
                continue;
            }

            name.Append(upper ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
            upper = false;
        }

        return name.ToString();
    }
}

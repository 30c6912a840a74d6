using System.Buffers.Text;
using System.Text;

namespace Faas.Gateway.Async;

/// <summary>
/// Which <c>X-Call-Id</c> values a client may choose, and how an id becomes a NATS key-value key
/// and subject token (both allow only <c>[A-Za-z0-9_-]</c> safely, plus <c>=</c>, <c>/</c> and
/// <c>.</c> as a separator in keys).
/// </summary>
public static class CallIds
{
    public const int MaxLength = 128;

    /// <summary>Characters besides ASCII letters and digits a call id may hold: all legal in a URL path unescaped.</summary>
    public const string Punctuation = "-_.:@+=~,";

    /// <summary>What the 400 answer says a call id must be.</summary>
    public const string Rule = "use 1 to 128 ASCII letters, digits or - _ . : @ + = ~ , (a GUID is best: anyone who knows the id can read its status)";

    /// <summary>Prefix of encoded keys; a plain key never holds '.', so the two never collide.</summary>
    private const string EncodedPrefix = "b64.";

    public static bool IsValid(string? id) =>
        id is { Length: > 0 and <= MaxLength } && id.All(c => char.IsAsciiLetterOrDigit(c) || Punctuation.Contains(c));

    /// <summary>
    /// The key of a call in the status bucket and the last token(s) of its dead-letter subject: the id
    /// itself when it is only letters, digits, '-' and '_' (GUIDs, and every id stored before wider
    /// ids were allowed), else <c>b64.</c> + its base64url form.
    /// </summary>
    public static string KeyFor(string id)
    {
        if (id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return id;
        }

        return EncodedPrefix + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(id));
    }
}

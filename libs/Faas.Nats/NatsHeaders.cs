using Microsoft.Extensions.Primitives;

namespace Faas.Nats;

/// <summary>
/// Message headers (<c>NATS/1.0</c> block). Keys are case-sensitive like the server's.
/// <see cref="Code"/> and <see cref="MessageText"/> carry the optional status line, e.g. <c>503</c> or <c>404 No Messages</c>.
/// </summary>
public sealed class NatsHeaders : Dictionary<string, StringValues>
{
    public NatsHeaders()
        : base(StringComparer.Ordinal)
    {
    }

    /// <summary>Status code from the header status line; 0 when there is none.</summary>
    public int Code { get; internal set; }

    /// <summary>Status description from the header status line; empty when there is none.</summary>
    public string MessageText { get; internal set; } = string.Empty;

    /// <summary>Adds a value to a key, keeping earlier values (headers may repeat).</summary>
    public void Append(string key, string value)
    {
        this[key] = TryGetValue(key, out var existing) ? StringValues.Concat(existing, value) : new StringValues(value);
    }
}

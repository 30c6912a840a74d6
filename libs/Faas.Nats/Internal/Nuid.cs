using System.Security.Cryptography;

namespace Faas.Nats.Internal;

/// <summary>Unique tokens for inboxes: 22 random base62 characters.</summary>
internal static class Nuid
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string Next() => RandomNumberGenerator.GetString(Alphabet, 22);
}

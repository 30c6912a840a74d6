using Faas.Contracts.Naming;
using Faas.Contracts.Secrets;

namespace Faas.Controller.Secrets;

/// <summary>Checks of a <c>/system/secrets</c> body; messages name the field, never the value.</summary>
public static class SecretRequest
{
    /// <summary>1 MiB, as Kubernetes limits a Secret.</summary>
    public const int MaxValueBytes = 1024 * 1024;

    /// <summary>Bodies above this cannot hold a valid secret (base64 of 1 MiB plus JSON): 413 before parsing.</summary>
    public const long MaxBodyBytes = 3 * MaxValueBytes;

    /// <summary><c>rawValue</c> when given (exact bytes, as faas-netes prefers), else <c>value</c> as UTF-8.</summary>
    public static ReadOnlyMemory<byte> ValueOf(Secret secret) =>
        secret.RawValue is { Length: > 0 } raw ? raw : SecretFiles.Utf8.GetBytes(secret.Value ?? "");

    public static string? ValidateName(string? name) => FunctionNames.Validate(name, "secret name");

    /// <summary>Null when the value can be stored; else the status (400 empty, 413 too large) and what to fix.</summary>
    public static (int Status, string Message)? ValidateValue(ReadOnlyMemory<byte> value)
    {
        if (value.IsEmpty)
        {
            return (StatusCodes.Status400BadRequest, "the secret value is empty: give a non-empty value (text) or rawValue (base64 bytes)");
        }

        return value.Length > MaxValueBytes
            ? (StatusCodes.Status413PayloadTooLarge, $"the secret value is {SecretFiles.Describe(value)}; at most {MaxValueBytes} bytes (1 MiB) are allowed")
            : null;
    }
}

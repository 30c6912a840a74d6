using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Faas.Gateway.Configuration;
using Microsoft.Extensions.Primitives;

namespace Faas.Gateway.Auth;

/// <summary>
/// Checks incoming basic-auth credentials (constant-time) and holds the header the gateway injects
/// on its own calls to the controller. Disabled when <c>basic_auth</c> is off.
/// </summary>
public sealed class BasicAuthenticator
{
    private readonly byte[]? _user;
    private readonly byte[]? _password;

    public BasicAuthenticator(GatewayOptions options)
    {
        if (options.Credentials is { } credentials)
        {
            _user = Encoding.UTF8.GetBytes(credentials.User);
            _password = Encoding.UTF8.GetBytes(credentials.Password);
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.User}:{credentials.Password}"));
            ControllerAuthorization = new AuthenticationHeaderValue("Basic", token);
            ControllerAuthorizationValue = "Basic " + token;
        }
    }

    public bool Enabled => _user is not null;

    /// <summary>The <c>Authorization</c> header for calls to the controller, or null when auth is off.</summary>
    public AuthenticationHeaderValue? ControllerAuthorization { get; }

    /// <summary><see cref="ControllerAuthorization"/> as a header value string.</summary>
    public string? ControllerAuthorizationValue { get; }

    /// <summary>True when auth is off or <paramref name="authorization"/> carries the right user and password.</summary>
    public bool IsAuthorized(StringValues authorization)
    {
        if (_user is null || _password is null)
        {
            return true;
        }

        if (authorization.Count != 1 || authorization[0] is not { } header)
        {
            return false;
        }

        const string Scheme = "Basic ";
        if (header.Length <= Scheme.Length || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var encoded = header.AsSpan(Scheme.Length).Trim();
        Span<byte> decoded = stackalloc byte[512];
        if (encoded.Length > 680 || !Convert.TryFromBase64Chars(encoded, decoded, out var written))
        {
            return false;
        }

        decoded = decoded[..written];
        var colon = decoded.IndexOf((byte)':');
        if (colon < 0)
        {
            return false;
        }

        // Both halves are compared in constant time and combined without short-circuiting.
        var userOk = CryptographicOperations.FixedTimeEquals(decoded[..colon], _user);
        var passwordOk = CryptographicOperations.FixedTimeEquals(decoded[(colon + 1)..], _password);
        return userOk & passwordOk;
    }
}

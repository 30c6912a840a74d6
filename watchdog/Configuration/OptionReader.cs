using System.Globalization;
using System.Net;
using Faas.Contracts.Time;

namespace Faas.Watchdog.Configuration;

/// <summary>Typed reads from the configuration dictionary; a bad value records an error and yields the default.</summary>
internal sealed class OptionReader
{
    private const string DurationHint = "seconds (10) or a Go duration (1m30s, 500ms)";
    private const long MaxBodyLimit = int.MaxValue;

    private readonly IReadOnlyDictionary<string, string> _config;
    private readonly List<OptionError> _errors = [];

    public OptionReader(IReadOnlyDictionary<string, string> config) => _config = config;

    public IReadOnlyList<OptionError> Errors => _errors;

    /// <summary>The trimmed value, or null when absent or blank (blank means "use the default", as of-watchdog).</summary>
    public string? Text(string key)
    {
        if (!_config.TryGetValue(key, out var value))
        {
            // Keys are lower-case by convention; accept another casing rather than silently ignore it.
            value = _config.FirstOrDefault(kv => string.Equals(kv.Key, key, StringComparison.OrdinalIgnoreCase)).Value;
        }

        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    public int Int(string key, int fallback, int min, int max, string range)
    {
        var text = Text(key);
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        return Fail(key, text, $"expected {range}", fallback);
    }

    public TimeSpan Duration(string key, TimeSpan fallback, bool allowZero)
    {
        var text = Text(key);
        if (text is null)
        {
            return fallback;
        }

        var range = allowZero ? "0 (none) or more" : "more than 0";
        if (!GoDuration.TryParse(text, out var value))
        {
            return Fail(key, text, $"not a duration; use {DurationHint}, {range}", fallback);
        }

        if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero))
        {
            return Fail(key, text, $"out of range; expected {range}", fallback);
        }

        return value;
    }

    public bool Bool(string key, bool fallback)
    {
        var text = Text(key);
        switch (text?.ToLowerInvariant())
        {
            case null:
                return fallback;
            case "true" or "1":
                return true;
            case "false" or "0":
                return false;
            default:
                return Fail(key, text, "expected true, false, 1 or 0", fallback);
        }
    }

    public IPAddress Address(string key, IPAddress fallback)
    {
        var text = Text(key);
        if (text is null)
        {
            return fallback;
        }

        return IPAddress.TryParse(text, out var address)
            ? address
            : Fail(key, text, "expected an IP address such as 0.0.0.0 or 127.0.0.1", fallback);
    }

    /// <summary>Bytes as a plain integer or with a binary suffix: <c>1048576</c>, <c>512Ki</c>, <c>16Mi</c>, <c>1Gi</c>.</summary>
    public long ByteSize(string key, long fallback)
    {
        var text = Text(key);
        if (text is null)
        {
            return fallback;
        }

        if (Faas.Contracts.Units.ByteSize.TryParse(text, out var bytes) && bytes > 0 && bytes <= MaxBodyLimit)
        {
            return bytes;
        }

        return Fail(key, text, $"expected a size from 1 to {MaxBodyLimit} bytes, as bytes or with a Ki, Mi or Gi suffix (16Mi)", fallback);
    }

    public WatchdogMode Mode(string key)
    {
        var text = Text(key);
        switch (text?.ToLowerInvariant())
        {
            case null or "inproc":
                return WatchdogMode.InProc;
            case "http":
                return WatchdogMode.Http;
            case "streaming":
                return WatchdogMode.Streaming;
            default:
                return Fail(key, text, "unknown mode; expected inproc, http or streaming", WatchdogMode.InProc);
        }
    }

    /// <summary>An absolute http:// URL with a host and port (the port defaults to 80).</summary>
    public Uri HttpUrl(string key, Uri fallback)
    {
        var text = Text(key);
        if (text is null)
        {
            return fallback;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttp && !string.IsNullOrEmpty(url.Host)
            ? url
            : Fail(key, text, "expected an absolute http:// URL such as http://127.0.0.1:3000", fallback);
    }

    /// <summary>Records an error found by a check across keys.</summary>
    public void Error(string key, string? value, string problem) => _errors.Add(new OptionError(key, value, problem));

    private T Fail<T>(string key, string value, string problem, T fallback)
    {
        _errors.Add(new OptionError(key, value, problem));
        return fallback;
    }
}

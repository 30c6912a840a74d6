using System.Text.Json;
using Faas.Contracts.Json;
using Faas.Contracts.Logs;

namespace Faas.Cli.Logs;

/// <summary>faas-cli's log output formats: <c>plain</c>, <c>keyvalue</c> and <c>json</c>.</summary>
public sealed class LogFormatter
{
    public static readonly string[] Formats = ["plain", "keyvalue", "json"];

    private readonly string _format;
    private readonly string _timeFormat;
    private readonly bool _includeName;
    private readonly bool _includeInstance;

    public LogFormatter(string format, string timeFormat, bool includeName, bool includeInstance)
    {
        if (!Formats.Contains(format, StringComparer.Ordinal))
        {
            throw new UsageException($"--output '{format}' is not supported: use one of {string.Join(", ", Formats)}");
        }

        _format = format;
        _timeFormat = GoTimeLayout.ToDotNet(string.IsNullOrEmpty(timeFormat) ? GoTimeLayout.Rfc3339 : timeFormat);
        _includeName = includeName;
        _includeInstance = includeInstance;
    }

    public string Format(LogMessage message)
    {
        var text = message.Text.TrimEnd('\r', '\n');
        var timestamp = message.Timestamp.ToUniversalTime().ToString(_timeFormat, System.Globalization.CultureInfo.InvariantCulture);
        switch (_format)
        {
            case "json":
                return JsonSerializer.Serialize(message with { Text = text }, FaasJsonContext.Default.LogMessage);
            case "keyvalue":
                var pairs = new List<string> { $"timestamp={timestamp}" };
                if (_includeName)
                {
                    pairs.Add($"name={message.Name}");
                }

                if (_includeInstance)
                {
                    pairs.Add($"instance={message.Instance}");
                }

                pairs.Add($"text={text}");
                return string.Join(" ", pairs);
            default:
                var parts = new List<string> { timestamp };
                if (_includeName)
                {
                    parts.Add(message.Name);
                }

                if (_includeInstance)
                {
                    parts.Add(message.Instance);
                }

                parts.Add(text);
                return string.Join(" ", parts);
        }
    }
}

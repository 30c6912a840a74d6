namespace Faas.Watchdog.Configuration;

/// <summary>One invalid configuration value: the key, what was given and what would be accepted.</summary>
public sealed record OptionError(string Key, string? Value, string Problem)
{
    public override string ToString() =>
        Value is null ? $"{Key}: {Problem}" : $"{Key}='{Value}': {Problem}";
}

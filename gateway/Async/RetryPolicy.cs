using System.Globalization;

namespace Faas.Gateway.Async;

/// <summary>
/// When and how long to wait before the next attempt of an async call: exponential backoff with
/// full jitter between <see cref="InitialWait"/> and <see cref="MaxWait"/>, or the function's own
/// <c>Retry-After</c> when it sent one.
/// </summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan InitialWait, TimeSpan MaxWait, IReadOnlySet<int> Codes)
{
    public static readonly RetryPolicy Default = new(
        5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), new HashSet<int> { 408, 429, 500, 502, 503, 504 });

    /// <summary>A response status that asks for another attempt.</summary>
    public bool IsRetryable(int status) => Codes.Contains(status);

    /// <summary>
    /// The wait after failed attempt <paramref name="attempt"/> (1-based): a random value in
    /// [initial, min(max, initial·2^(attempt-1))], or <paramref name="retryAfter"/> when it is longer.
    /// </summary>
    public TimeSpan Delay(int attempt, TimeSpan? retryAfter, Random random)
    {
        var ceiling = InitialWait.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        ceiling = Math.Min(ceiling, MaxWait.TotalMilliseconds);
        var floor = Math.Min(InitialWait.TotalMilliseconds, ceiling);
        var backoff = TimeSpan.FromMilliseconds(floor + (random.NextDouble() * (ceiling - floor)));
        return retryAfter is { } after && after > backoff ? after : backoff;
    }

    /// <summary>Parses <c>Retry-After</c>: delta seconds or an HTTP date (relative to <paramref name="now"/>).</summary>
    public static TimeSpan? ParseRetryAfter(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        value = value.Trim();
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(Math.Min(seconds, 24 * 3600));
        }

        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            var delta = date - now;
            return delta > TimeSpan.Zero ? delta : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary>Parses <c>408,429,500</c>.</summary>
    public static bool TryParseCodes(string text, out IReadOnlySet<int> codes)
    {
        var set = new HashSet<int>();
        codes = set;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var code) || code is < 100 or > 599)
            {
                return false;
            }

            set.Add(code);
        }

        return set.Count > 0;
    }
}

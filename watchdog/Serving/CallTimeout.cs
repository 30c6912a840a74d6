using Faas.Contracts.Time;

namespace Faas.Watchdog.Serving;

/// <summary>The time limit of one call: <c>exec_timeout</c>, or a shorter <c>X-Timeout</c> the caller sent.</summary>
internal readonly record struct CallTimeout(TimeSpan Limit, bool FromHeader)
{
    public bool IsNone => Limit == TimeSpan.Zero;

    public static CallTimeout Resolve(TimeSpan execTimeout, string? header)
    {
        // As of-watchdog: X-Timeout may only shorten the configured limit; an unparsable value is ignored.
        if (GoDuration.TryParse(header, out var requested) && requested > TimeSpan.Zero
            && (execTimeout == TimeSpan.Zero || requested < execTimeout))
        {
            return new CallTimeout(requested, FromHeader: true);
        }

        return new CallTimeout(execTimeout, FromHeader: false);
    }

    public string Describe(string functionName) => FromHeader
        ? $"function '{functionName}' exceeded the X-Timeout of {GoDuration.Format(Limit)}"
        : $"function '{functionName}' exceeded exec_timeout of {GoDuration.Format(Limit)}";
}

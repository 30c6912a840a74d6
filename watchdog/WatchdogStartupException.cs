namespace Faas.Watchdog;

/// <summary>The watchdog cannot start: bad configuration or a handler it cannot load. Lists every problem found.</summary>
public sealed class WatchdogStartupException : Exception
{
    public WatchdogStartupException(string summary, IReadOnlyList<string> problems, Exception? innerException = null)
        : base(Format(summary, problems), innerException)
    {
        Problems = problems;
    }

    public WatchdogStartupException(string problem, Exception? innerException = null)
        : this(problem, [], innerException)
    {
    }

    public IReadOnlyList<string> Problems { get; }

    private static string Format(string summary, IReadOnlyList<string> problems) =>
        problems.Count == 0
            ? summary
            : $"{summary} ({problems.Count} {(problems.Count == 1 ? "error" : "errors")}):{Environment.NewLine}"
              + string.Join(Environment.NewLine, problems.Select(p => "  - " + p));
}

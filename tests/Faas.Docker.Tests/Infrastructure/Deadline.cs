namespace Faas.Docker.Tests.Infrastructure;

/// <summary>Bounds a test in time: every awaited call gets this token.</summary>
internal static class Deadline
{
    public static CancellationTokenSource Seconds(int seconds) => new(TimeSpan.FromSeconds(seconds));
}

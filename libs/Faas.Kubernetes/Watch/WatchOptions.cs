namespace Faas.Kubernetes;

/// <summary>What to watch and how to recover when the stream breaks.</summary>
public sealed record WatchOptions
{
    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>
    /// Where to start. Null (default): list first and report every existing object as Added, then watch from
    /// the list's version (what an informer does). Set: report only changes after that version.
    /// </summary>
    public string? ResourceVersion { get; init; }

    /// <summary>How long the server keeps one watch connection open before ending it (the watch then resumes). Default 5 min.</summary>
    public TimeSpan ServerTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>First wait before reconnecting after a failure; doubles up to <see cref="MaxRetryDelay"/>. Default 200 ms.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(10);
}

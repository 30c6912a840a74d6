namespace Faas.Nats.KeyValue;

public enum NatsKVStorageType
{
    File,
    Memory,
}

/// <summary>A bucket's configuration; the bucket is the stream <c>KV_&lt;bucket&gt;</c> over <c>$KV.&lt;bucket&gt;.&gt;</c>.</summary>
public sealed record NatsKVConfig(string Bucket)
{
    public string? Description { get; init; }

    /// <summary>Values kept per key, 1..64.</summary>
    public int History { get; init; } = 1;

    /// <summary>How long a value lives (the stream's max_age); zero keeps values forever.</summary>
    public TimeSpan MaxAge { get; init; }

    public long MaxBytes { get; init; }

    public int MaxValueSize { get; init; }

    public NatsKVStorageType Storage { get; init; } = NatsKVStorageType.File;

    public int NumberOfReplicas { get; init; } = 1;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!NatsKVStore.IsValidBucket(Bucket))
        {
            errors.Add($"Bucket: '{Bucket}' must be non-empty and only contain letters, digits, '-' and '_'");
        }

        if (History is < 1 or > 64)
        {
            errors.Add($"History: {History} must be between 1 and 64");
        }

        if (MaxAge < TimeSpan.Zero)
        {
            errors.Add($"MaxAge: {MaxAge} must be >= 0");
        }

        if (NumberOfReplicas is < 1 or > 5)
        {
            errors.Add($"NumberOfReplicas: {NumberOfReplicas} must be between 1 and 5");
        }

        return errors;
    }
}

public enum NatsKVOperation
{
    Put,
    Del,
    Purge,
}

/// <summary>One revision of a key.</summary>
public sealed record NatsKVEntry<T>(string Bucket, string Key)
{
    public T? Value { get; init; }

    /// <summary>The stream sequence that stored this revision.</summary>
    public ulong Revision { get; init; }

    /// <summary>Revisions of the key after this one, when known (history listings).</summary>
    public ulong Delta { get; init; }

    public DateTimeOffset Created { get; init; }

    public NatsKVOperation Operation { get; init; }
}

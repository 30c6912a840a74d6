using Faas.Nats.JetStream;
using Faas.Nats.JetStream.Models;

namespace Faas.Nats.KeyValue;

/// <summary>Creates, opens and deletes key-value buckets.</summary>
public sealed class NatsKVContext(NatsJSContext context)
{
    public NatsJSContext JetStream { get; } = context ?? throw new ArgumentNullException(nameof(context));

    public ValueTask<NatsKVStore> CreateStoreAsync(string bucket, CancellationToken cancellationToken = default) =>
        CreateStoreAsync(new NatsKVConfig(bucket), cancellationToken);

    public async ValueTask<NatsKVStore> CreateStoreAsync(NatsKVConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        var errors = config.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid NatsKVConfig: " + string.Join("; ", errors), nameof(config));
        }

        await JetStream.CreateStreamAsync(ToStreamConfig(config), cancellationToken).ConfigureAwait(false);
        return new NatsKVStore(JetStream, config.Bucket);
    }

    /// <summary>Opens an existing bucket; throws <see cref="NatsJSApiException"/> (stream not found) when there is none.</summary>
    public async ValueTask<NatsKVStore> GetStoreAsync(string bucket, CancellationToken cancellationToken = default)
    {
        if (!NatsKVStore.IsValidBucket(bucket))
        {
            throw new ArgumentException($"'{bucket}' is not a valid bucket name", nameof(bucket));
        }

        await JetStream.GetStreamAsync(NatsKVStore.StreamPrefix + bucket, cancellationToken).ConfigureAwait(false);
        return new NatsKVStore(JetStream, bucket);
    }

    public ValueTask<bool> DeleteStoreAsync(string bucket, CancellationToken cancellationToken = default) =>
        JetStream.DeleteStreamAsync(NatsKVStore.StreamPrefix + bucket, cancellationToken);

    private static StreamConfig ToStreamConfig(NatsKVConfig config)
    {
        // The duplicate window may not exceed max_age; two minutes is the server's default otherwise.
        var duplicateWindow = config.MaxAge > TimeSpan.Zero && config.MaxAge < TimeSpan.FromMinutes(2)
            ? config.MaxAge
            : TimeSpan.FromMinutes(2);
        return new StreamConfig
        {
            Name = NatsKVStore.StreamPrefix + config.Bucket,
            Description = config.Description,
            Subjects = [$"$KV.{config.Bucket}.>"],
            MaxMsgsPerSubject = config.History,
            MaxAge = config.MaxAge,
            MaxBytes = config.MaxBytes == 0 ? -1 : config.MaxBytes,
            MaxMsgSize = config.MaxValueSize == 0 ? -1 : config.MaxValueSize,
            Storage = config.Storage == NatsKVStorageType.Memory ? StreamConfigStorage.Memory : StreamConfigStorage.File,
            NumReplicas = config.NumberOfReplicas,
            Discard = StreamConfigDiscard.New,
            DuplicateWindow = duplicateWindow,
            DenyDelete = true,
            AllowRollupHdrs = true,
            AllowDirect = true,
        };
    }
}

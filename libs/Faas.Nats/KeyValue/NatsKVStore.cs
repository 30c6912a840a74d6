using System.Buffers;
using System.Runtime.CompilerServices;
using Faas.Nats.Internal;
using Faas.Nats.JetStream;
using Faas.Nats.JetStream.Models;
using Faas.Nats.Protocol;

namespace Faas.Nats.KeyValue;

/// <summary>Options of <see cref="NatsKVStore.DeleteAsync"/>.</summary>
public sealed record NatsKVDeleteOpts
{
    /// <summary>Only delete when the key is at this revision.</summary>
    public ulong? Revision { get; init; }
}

/// <summary>
/// A key-value bucket. Each key is the subject <c>$KV.&lt;bucket&gt;.&lt;key&gt;</c> of the stream
/// <c>KV_&lt;bucket&gt;</c>; a revision is the stream sequence of the write.
/// </summary>
public sealed class NatsKVStore
{
    internal const string StreamPrefix = "KV_";
    private const string OperationHeader = "KV-Operation";

    private readonly NatsJSContext _context;

    internal NatsKVStore(NatsJSContext context, string bucket)
    {
        _context = context;
        Bucket = bucket;
    }

    public string Bucket { get; }

    private string StreamName => StreamPrefix + Bucket;

    /// <summary>Writes a value and returns its revision.</summary>
    public async ValueTask<ulong> PutAsync<T>(string key, T? value, CancellationToken cancellationToken = default)
    {
        var ack = await _context.PublishAsync(SubjectOf(key), value, cancellationToken: cancellationToken).ConfigureAwait(false);
        return ack.Seq;
    }

    /// <summary>Writes only when the key is absent (or deleted); throws <see cref="NatsKVCreateException"/> otherwise.</summary>
    public async ValueTask<ulong> CreateAsync<T>(string key, T? value, CancellationToken cancellationToken = default)
    {
        try
        {
            return await UpdateAsync(key, value, 0, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsKVWrongLastRevisionException exists)
        {
            // A delete marker counts as absent: write over it at its revision.
            try
            {
                await GetEntryAsync<byte[]>(key, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (NatsKVKeyDeletedException deleted)
            {
                return await UpdateAsync(key, value, deleted.Revision, cancellationToken).ConfigureAwait(false);
            }

            throw new NatsKVCreateException(key, exists);
        }
    }

    /// <summary>Writes only when the key is at <paramref name="revision"/>; throws <see cref="NatsKVWrongLastRevisionException"/> otherwise.</summary>
    public async ValueTask<ulong> UpdateAsync<T>(string key, T? value, ulong revision, CancellationToken cancellationToken = default)
    {
        try
        {
            var ack = await _context.PublishAsync(
                    SubjectOf(key), value, new NatsJSPubOpts { ExpectedLastSubjectSequence = revision }, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            return ack.Seq;
        }
        catch (NatsJSApiException ex) when (ex.Error.ErrCode == JSErrorCodes.StreamWrongLastSequence)
        {
            throw new NatsKVWrongLastRevisionException(key, ex);
        }
    }

    /// <summary>
    /// The latest entry of a key, or the one at <paramref name="revision"/> when it is not 0. Throws
    /// <see cref="NatsKVKeyNotFoundException"/> or, when the latest entry is a delete marker, <see cref="NatsKVKeyDeletedException"/>.
    /// </summary>
    public async ValueTask<NatsKVEntry<T>> GetEntryAsync<T>(string key, ulong revision = 0, CancellationToken cancellationToken = default)
    {
        var subject = SubjectOf(key);
        var request = revision == 0 ? new StreamMsgGetRequest { LastBySubj = subject } : new StreamMsgGetRequest { Seq = revision };
        StreamMsgGetResponse response;
        try
        {
            response = await _context.RequestAsync(
                    $"STREAM.MSG.GET.{StreamName}", request, JetStreamJsonContext.Default.StreamMsgGetRequest, JetStreamJsonContext.Default.StreamMsgGetResponse, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (NatsJSApiException ex) when (ex.Error.ErrCode == JSErrorCodes.NoMessageFound)
        {
            throw new NatsKVKeyNotFoundException(key);
        }

        var message = response.Message;
        if (message is null || message.Subject != subject)
        {
            throw new NatsKVKeyNotFoundException(key);
        }

        var headers = message.Hdrs is { Length: > 0 } hdrs ? HeaderCodec.Parse(hdrs) : null;
        var entry = new NatsKVEntry<T>(Bucket, key)
        {
            Value = NatsPayload.Read<T>(new ReadOnlySequence<byte>(message.Data ?? [])),
            Revision = message.Seq,
            Created = message.Time,
            Operation = OperationOf(headers),
        };
        if (revision == 0 && entry.Operation != NatsKVOperation.Put)
        {
            throw new NatsKVKeyDeletedException(key, entry.Revision);
        }

        return entry;
    }

    /// <summary>Marks the key deleted (history is kept).</summary>
    public async ValueTask DeleteAsync(string key, NatsKVDeleteOpts? opts = null, CancellationToken cancellationToken = default)
    {
        var headers = new NatsHeaders { [OperationHeader] = "DEL" };
        await WriteMarkerAsync(key, headers, opts?.Revision, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the key and drops its history, leaving one purge marker.</summary>
    public async ValueTask PurgeAsync(string key, NatsKVDeleteOpts? opts = null, CancellationToken cancellationToken = default)
    {
        var headers = new NatsHeaders { [OperationHeader] = "PURGE", ["Nats-Rollup"] = "sub" };
        await WriteMarkerAsync(key, headers, opts?.Revision, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every retained revision of the key, oldest first, including delete markers.</summary>
    public async IAsyncEnumerable<NatsKVEntry<T>> HistoryAsync<T>(string key, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // An ephemeral, unacknowledged consumer filtered to the key, read with no-wait fetches.
        var config = new ConsumerConfig
        {
            FilterSubject = SubjectOf(key),
            DeliverPolicy = ConsumerConfigDeliverPolicy.All,
            AckPolicy = ConsumerConfigAckPolicy.None,
            InactiveThreshold = TimeSpan.FromMinutes(1),
            MemStorage = true,
            NumReplicas = 1,
        };
        var consumer = await _context.CreateOrUpdateConsumerAsync(StreamName, config, cancellationToken).ConfigureAwait(false);
        try
        {
            var remaining = consumer.Info.NumPending;
            while (remaining > 0)
            {
                var batch = (int)Math.Min(remaining, 256);
                var received = 0;
                await foreach (var msg in consumer.FetchAsync<T>(new NatsJSFetchOpts { MaxMsgs = batch, Expires = _context.RequestTimeout }, cancellationToken)
                    .ConfigureAwait(false))
                {
                    received++;
                    remaining = msg.Metadata?.NumPending ?? remaining - 1;
                    yield return new NatsKVEntry<T>(Bucket, key)
                    {
                        Value = msg.Data,
                        Revision = msg.Metadata?.Sequence.Stream ?? 0,
                        Delta = msg.Metadata?.NumPending ?? 0,
                        Created = msg.Metadata?.Timestamp ?? default,
                        Operation = OperationOf(msg.Headers),
                    };
                }

                if (received == 0)
                {
                    break;
                }
            }
        }
        finally
        {
            await DeleteConsumerQuietlyAsync(consumer.Name).ConfigureAwait(false);
        }
    }

    internal static bool IsValidBucket(string? bucket) =>
        !string.IsNullOrEmpty(bucket) && bucket.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    internal static bool IsValidKey(string? key) =>
        !string.IsNullOrEmpty(key) && key[0] != '.' && key[^1] != '.' &&
        key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '/' or '=' or '.');

    private async ValueTask WriteMarkerAsync(string key, NatsHeaders headers, ulong? revision, CancellationToken cancellationToken)
    {
        try
        {
            var opts = revision is null ? null : new NatsJSPubOpts { ExpectedLastSubjectSequence = revision };
            await _context.PublishAsync<byte[]>(SubjectOf(key), null, opts, headers, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsJSApiException ex) when (ex.Error.ErrCode == JSErrorCodes.StreamWrongLastSequence)
        {
            throw new NatsKVWrongLastRevisionException(key, ex);
        }
    }

    private async ValueTask DeleteConsumerQuietlyAsync(string consumer)
    {
        try
        {
            await _context.DeleteConsumerAsync(StreamName, consumer).ConfigureAwait(false);
        }
        catch (NatsException)
        {
            // The inactive threshold removes it anyway.
        }
    }

    private string SubjectOf(string key)
    {
        if (!IsValidKey(key))
        {
            throw new ArgumentException($"'{key}' is not a valid key: use letters, digits and '-_/=.', not starting or ending with '.'", nameof(key));
        }

        return $"$KV.{Bucket}.{key}";
    }

    private static NatsKVOperation OperationOf(NatsHeaders? headers)
    {
        if (headers is null || !headers.TryGetValue(OperationHeader, out var operation))
        {
            return NatsKVOperation.Put;
        }

        return operation.ToString() switch
        {
            "DEL" => NatsKVOperation.Del,
            "PURGE" => NatsKVOperation.Purge,
            _ => NatsKVOperation.Put,
        };
    }
}

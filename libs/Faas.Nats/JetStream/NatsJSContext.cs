using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Faas.Nats.JetStream.Models;

namespace Faas.Nats.JetStream;

/// <summary>JetStream over request/reply on <c>$JS.API.*</c>: streams, consumers and acknowledged publishes.</summary>
public sealed partial class NatsJSContext
{
    public NatsJSContext(NatsConnection connection)
        : this(connection, new NatsJSOpts())
    {
    }

    public NatsJSContext(NatsConnection connection, NatsJSOpts opts)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(opts);
        if (opts.RequestTimeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"NatsJSOpts.RequestTimeout: {timeout} must be > 0", nameof(opts));
        }

        Connection = connection;
        Opts = opts;
    }

    public NatsConnection Connection { get; }

    public NatsJSOpts Opts { get; }

    internal TimeSpan RequestTimeout => Opts.RequestTimeout ?? Connection.Opts.RequestTimeout;

    /// <summary>
    /// Publishes to a stream subject and waits for the stream's acknowledgement. Throws
    /// <see cref="NatsJSApiException"/> when the stream rejects it (e.g. an expected-sequence mismatch)
    /// and <see cref="NatsNoRespondersException"/> when no stream captures the subject.
    /// </summary>
    public async ValueTask<PubAckResponse> PublishAsync<T>(
        string subject,
        T? data,
        NatsJSPubOpts? opts = null,
        NatsHeaders? headers = null,
        CancellationToken cancellationToken = default)
    {
        if (opts is not null)
        {
            headers = WithPublishHeaders(headers, opts);
        }

        var reply = await Connection.RequestAsync<T, byte[]>(
                subject, data, headers, new NatsSubOpts { Timeout = RequestTimeout }, cancellationToken)
            .ConfigureAwait(false);
        return Deserialize(reply.Data, JetStreamJsonContext.Default.PubAckResponse);
    }

    /// <summary>Sends one JetStream API request and decodes the answer, throwing <see cref="NatsJSApiException"/> on an API error.</summary>
    internal ValueTask<TResponse> RequestAsync<TRequest, TResponse>(
        string apiSubject,
        TRequest request,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken) =>
        SendApiRequestAsync(apiSubject, JsonSerializer.SerializeToUtf8Bytes(request, requestType), responseType, cancellationToken);

    /// <summary>An API request without a body (INFO, DELETE).</summary>
    internal ValueTask<TResponse> RequestAsync<TResponse>(string apiSubject, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken) =>
        SendApiRequestAsync(apiSubject, [], responseType, cancellationToken);

    private async ValueTask<TResponse> SendApiRequestAsync<TResponse>(
        string apiSubject,
        byte[] body,
        JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken)
    {
        var reply = await Connection.RequestAsync<byte[], byte[]>(
                $"{Opts.ApiPrefix}.{apiSubject}", body, replyOpts: new NatsSubOpts { Timeout = RequestTimeout }, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return Deserialize(reply.Data, responseType);
    }

    internal static TResponse Deserialize<TResponse>(byte[]? json, JsonTypeInfo<TResponse> type)
    {
        if (json is null || json.Length == 0)
        {
            throw new NatsProtocolException($"empty JetStream API response where {typeof(TResponse).Name} was expected");
        }

        var envelope = JsonSerializer.Deserialize(json, JetStreamJsonContext.Default.ApiErrorEnvelope);
        if (envelope?.Error is { } error)
        {
            throw new NatsJSApiException(error);
        }

        return JsonSerializer.Deserialize(json, type)
            ?? throw new NatsProtocolException($"JetStream API response is not a {typeof(TResponse).Name}");
    }

    internal static void ValidateName(string name, string parameter)
    {
        if (string.IsNullOrEmpty(name) || name.AsSpan().IndexOfAny(" \t\r\n.*>") >= 0)
        {
            throw new ArgumentException($"'{name}' is not a valid stream or consumer name: it must be non-empty without whitespace, '.', '*' or '>'", parameter);
        }
    }

    private static NatsHeaders WithPublishHeaders(NatsHeaders? headers, NatsJSPubOpts opts)
    {
        var result = new NatsHeaders();
        if (headers is not null)
        {
            foreach (var (key, value) in headers)
            {
                result[key] = value;
            }
        }

        if (opts.MsgId is not null)
        {
            result["Nats-Msg-Id"] = opts.MsgId;
        }

        if (opts.ExpectedStream is not null)
        {
            result["Nats-Expected-Stream"] = opts.ExpectedStream;
        }

        if (opts.ExpectedLastMsgId is not null)
        {
            result["Nats-Expected-Last-Msg-Id"] = opts.ExpectedLastMsgId;
        }

        if (opts.ExpectedLastSequence is { } lastSequence)
        {
            result["Nats-Expected-Last-Sequence"] = lastSequence.ToString(CultureInfo.InvariantCulture);
        }

        if (opts.ExpectedLastSubjectSequence is { } lastSubjectSequence)
        {
            result["Nats-Expected-Last-Subject-Sequence"] = lastSubjectSequence.ToString(CultureInfo.InvariantCulture);
        }

        return result;
    }
}

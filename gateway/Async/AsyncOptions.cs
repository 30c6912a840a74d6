using System.Globalization;
using Faas.Contracts.Time;
using Faas.Gateway.Configuration;

namespace Faas.Gateway.Async;

/// <summary>
/// Settings of asynchronous invocation (<c>/async-function</c>) and the queue worker, read once at
/// start-up by <see cref="AsyncOptionsReader"/>. <see cref="NatsUrl"/> null means async is not configured.
/// </summary>
public sealed record AsyncOptions
{
    public string? NatsUrl { get; init; }

    public string Stream { get; init; } = "faas-async";

    public string DeadLetterStream { get; init; } = "faas-async-dead";

    public string Consumer { get; init; } = "faas-workers";

    public string StatusBucket { get; init; } = "faas-calls";

    public TimeSpan AckWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>True: the worker runs inside this process. False: enqueue only.</summary>
    public bool QueueWorker { get; init; } = true;

    public int MaxInflight { get; init; } = 16;

    public int MaxInflightPerFunction { get; init; } = 4;

    /// <summary>Messages asked for per pull request, at most the worker's free slots (1 = one pull per call).</summary>
    public int FetchBatch { get; init; } = 32;

    // 960Ki: nats-server's default max_payload (1 MiB) less the 64 KiB kept for the call's headers,
    // so the default fits a default server without being lowered at start-up.
    public long MaxAsyncBody { get; init; } = 960 * 1024;

    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    public TimeSpan CallStatusTtl { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Where the worker sends invocations; null = this gateway's own listening address.</summary>
    public Uri? GatewayUrl { get; init; }

    /// <summary><c>gateway</c> (default) or <c>queue-worker</c> (only the worker and /healthz).</summary>
    public string Role { get; init; } = AsyncOptionsReader.GatewayRole;

    public bool Configured => NatsUrl is not null;

    public bool WorkerOnly => Role == AsyncOptionsReader.QueueWorkerRole;
}

/// <summary>Reads and validates <see cref="AsyncOptions"/>, adding every problem to the error list.</summary>
public static class AsyncOptionsReader
{
    public const string NatsUrlKey = "nats_url";
    public const string NatsAddressKey = "faas_nats_address";
    public const string NatsPortKey = "faas_nats_port";
    public const string StreamKey = "async_stream";
    public const string ConsumerKey = "async_consumer";
    public const string AckWaitKey = "ack_wait";
    public const string QueueWorkerKey = "queue_worker";
    public const string MaxInflightKey = "max_inflight";
    public const string MaxInflightPerFunctionKey = "max_inflight_per_function";
    public const string FetchBatchKey = "fetch_batch";
    public const string MaxAsyncBodyKey = "max_async_body";
    public const string MaxRetryAttemptsKey = "max_retry_attempts";
    public const string InitialRetryWaitKey = "initial_retry_wait";
    public const string MaxRetryWaitKey = "max_retry_wait";
    public const string RetryHttpCodesKey = "retry_http_codes";
    public const string CallStatusTtlKey = "call_status_ttl";
    public const string GatewayUrlKey = "gateway_url";
    public const string RoleKey = "role";

    public const string GatewayRole = "gateway";
    public const string QueueWorkerRole = "queue-worker";

    /// <summary>The message of every <c>/async-function</c> answer while NATS is not configured.</summary>
    public const string NotConfiguredMessage =
        "asynchronous invocation is not configured: set nats_url (e.g. nats://127.0.0.1:4222), or faas_nats_address and faas_nats_port, and restart the gateway";

    private const long MaxBodyLimit = 64L * 1024 * 1024;

    public static AsyncOptions Read(IConfiguration configuration)
    {
        var errors = new List<string>();
        var options = TryRead(configuration, errors);
        return errors.Count == 0 ? options : throw new Configuration.GatewayOptionsException(errors);
    }

    /// <summary>Adds every error to <paramref name="errors"/>; the returned value is only meaningful without errors.</summary>
    public static AsyncOptions TryRead(IConfiguration configuration, List<string> errors)
    {
        var d = new AsyncOptions();

        string? natsUrl = null;
        var urlText = ConfigValues.Value(configuration, NatsUrlKey);
        var address = ConfigValues.Value(configuration, NatsAddressKey);
        if (urlText is not null)
        {
            if (Uri.TryCreate(urlText, UriKind.Absolute, out var uri) && uri.Scheme == "nats" && uri.Port > 0)
            {
                natsUrl = urlText;
            }
            else
            {
                errors.Add($"{NatsUrlKey}='{urlText}' is not a nats://host:port URL, e.g. nats://127.0.0.1:4222");
            }
        }
        else if (address is not null)
        {
            var port = ConfigValues.Int(configuration, NatsPortKey, 4222, 1, 65535, errors);
            natsUrl = $"nats://{address}:{port.ToString(CultureInfo.InvariantCulture)}";
        }

        var stream = ReadName(configuration, StreamKey, d.Stream, errors);
        var consumer = ReadName(configuration, ConsumerKey, d.Consumer, errors);
        var ackWait = ConfigValues.Duration(configuration, AckWaitKey, d.AckWait, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), errors);
        var queueWorker = ConfigValues.Bool(configuration, QueueWorkerKey, d.QueueWorker, errors);
        var maxInflight = ConfigValues.Int(configuration, MaxInflightKey, d.MaxInflight, 1, 10_000, errors);
        var perFunction = ConfigValues.Int(configuration, MaxInflightPerFunctionKey, d.MaxInflightPerFunction, 1, 10_000, errors);
        var fetchBatch = ConfigValues.Int(configuration, FetchBatchKey, d.FetchBatch, 1, 1000, errors);
        var maxBody = ConfigValues.Size(configuration, MaxAsyncBodyKey, d.MaxAsyncBody, 0, MaxBodyLimit, "960Ki", errors);
        var attempts = ConfigValues.Int(configuration, MaxRetryAttemptsKey, d.Retry.MaxAttempts, 1, 100, errors);
        var initialWait = ConfigValues.Duration(configuration, InitialRetryWaitKey, d.Retry.InitialWait, TimeSpan.Zero, TimeSpan.FromHours(1), errors);
        var maxWait = ConfigValues.Duration(configuration, MaxRetryWaitKey, d.Retry.MaxWait, TimeSpan.Zero, TimeSpan.FromHours(1), errors);
        if (maxWait < initialWait)
        {
            errors.Add($"{MaxRetryWaitKey}={GoDuration.Format(maxWait)} is less than {InitialRetryWaitKey}={GoDuration.Format(initialWait)}");
        }

        var codes = d.Retry.Codes;
        var codesText = ConfigValues.Value(configuration, RetryHttpCodesKey);
        if (codesText is not null)
        {
            if (RetryPolicy.TryParseCodes(codesText, out var parsed))
            {
                codes = parsed;
            }
            else
            {
                errors.Add($"{RetryHttpCodesKey}='{codesText}' is not a comma-separated list of HTTP status codes in [100, 599], e.g. 429,502,503");
            }
        }

        var ttl = ConfigValues.Duration(configuration, CallStatusTtlKey, d.CallStatusTtl, TimeSpan.FromSeconds(1), TimeSpan.FromDays(365), errors);

        Uri? gatewayUrl = null;
        var gatewayText = ConfigValues.Value(configuration, GatewayUrlKey);
        if (gatewayText is not null
            && (!Uri.TryCreate(gatewayText, UriKind.Absolute, out gatewayUrl) || (gatewayUrl.Scheme != Uri.UriSchemeHttp && gatewayUrl.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add($"{GatewayUrlKey}='{gatewayText}' is not an absolute http(s) URL, e.g. http://127.0.0.1:8080");
            gatewayUrl = null;
        }

        var role = ConfigValues.Value(configuration, RoleKey) ?? GatewayRole;
        if (role is not (GatewayRole or QueueWorkerRole))
        {
            errors.Add($"{RoleKey}='{role}' is not a role; use {GatewayRole} or {QueueWorkerRole}");
        }
        else if (role == QueueWorkerRole && natsUrl is null)
        {
            errors.Add($"{RoleKey}={QueueWorkerRole} needs {NatsUrlKey} (or {NatsAddressKey} and {NatsPortKey})");
        }

        if (role == QueueWorkerRole && gatewayText is null)
        {
            errors.Add($"{RoleKey}={QueueWorkerRole} needs {GatewayUrlKey}: the gateway that runs the calls, e.g. http://gateway:8080");
        }

        return new AsyncOptions
        {
            NatsUrl = natsUrl,
            Stream = stream,
            DeadLetterStream = stream + "-dead",
            Consumer = consumer,
            AckWait = ackWait,
            QueueWorker = queueWorker || role == QueueWorkerRole,
            MaxInflight = maxInflight,
            MaxInflightPerFunction = perFunction,
            FetchBatch = fetchBatch,
            MaxAsyncBody = maxBody,
            Retry = new RetryPolicy(attempts, initialWait, maxWait, codes),
            CallStatusTtl = ttl,
            GatewayUrl = gatewayUrl,
            Role = role,
        };
    }


    private static string ReadName(IConfiguration configuration, string key, string fallback, List<string> errors)
    {
        var text = ConfigValues.Value(configuration, key);
        if (text is null)
        {
            return fallback;
        }

        if (text.Length <= 64 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return text;
        }

        errors.Add($"{key}='{text}' is not a JetStream name: use up to 64 letters, digits, '-' or '_'");
        return fallback;
    }




}

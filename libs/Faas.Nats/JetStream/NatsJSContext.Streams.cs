using Faas.Nats.JetStream.Models;

namespace Faas.Nats.JetStream;

public sealed partial class NatsJSContext
{
    public async ValueTask<NatsJSStream> CreateStreamAsync(StreamConfig config, CancellationToken cancellationToken = default)
    {
        var name = StreamName(config);
        var info = await RequestAsync($"STREAM.CREATE.{name}", config, JetStreamJsonContext.Default.StreamConfig, JetStreamJsonContext.Default.StreamInfo, cancellationToken)
            .ConfigureAwait(false);
        return new NatsJSStream(this, info);
    }

    public async ValueTask<NatsJSStream> UpdateStreamAsync(StreamConfig config, CancellationToken cancellationToken = default)
    {
        var name = StreamName(config);
        var info = await RequestAsync($"STREAM.UPDATE.{name}", config, JetStreamJsonContext.Default.StreamConfig, JetStreamJsonContext.Default.StreamInfo, cancellationToken)
            .ConfigureAwait(false);
        return new NatsJSStream(this, info);
    }

    /// <summary>Updates the stream, creating it when it does not exist yet.</summary>
    public async ValueTask<NatsJSStream> CreateOrUpdateStreamAsync(StreamConfig config, CancellationToken cancellationToken = default)
    {
        try
        {
            return await UpdateStreamAsync(config, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsJSApiException ex) when (ex.Error.ErrCode == JSErrorCodes.StreamNotFound)
        {
            return await CreateStreamAsync(config, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<NatsJSStream> GetStreamAsync(string stream, CancellationToken cancellationToken = default) =>
        new(this, await GetStreamInfoAsync(stream, cancellationToken).ConfigureAwait(false));

    public async ValueTask<bool> DeleteStreamAsync(string stream, CancellationToken cancellationToken = default)
    {
        ValidateName(stream, nameof(stream));
        var response = await RequestAsync($"STREAM.DELETE.{stream}", JetStreamJsonContext.Default.StreamDeleteResponse, cancellationToken)
            .ConfigureAwait(false);
        return response.Success;
    }

    internal ValueTask<StreamInfo> GetStreamInfoAsync(string stream, CancellationToken cancellationToken)
    {
        ValidateName(stream, nameof(stream));
        return RequestAsync($"STREAM.INFO.{stream}", JetStreamJsonContext.Default.StreamInfo, cancellationToken);
    }

    private static string StreamName(StreamConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var name = config.Name ?? throw new ArgumentException("StreamConfig.Name is required", nameof(config));
        ValidateName(name, nameof(config));
        return name;
    }
}

/// <summary>A stream and the info it was last read with.</summary>
public sealed class NatsJSStream
{
    private readonly NatsJSContext _context;

    internal NatsJSStream(NatsJSContext context, StreamInfo info)
    {
        _context = context;
        Info = info;
    }

    public StreamInfo Info { get; private set; }

    public string Name => Info.Config.Name ?? string.Empty;

    public async ValueTask RefreshAsync(CancellationToken cancellationToken = default) =>
        Info = await _context.GetStreamInfoAsync(Name, cancellationToken).ConfigureAwait(false);

    public ValueTask<bool> DeleteAsync(CancellationToken cancellationToken = default) =>
        _context.DeleteStreamAsync(Name, cancellationToken);
}

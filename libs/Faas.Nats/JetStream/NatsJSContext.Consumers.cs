using Faas.Nats.JetStream.Models;

namespace Faas.Nats.JetStream;

public sealed partial class NatsJSContext
{
    /// <summary>
    /// Creates a consumer, or updates the mutable fields of an existing one with the same name.
    /// Without a name the server creates an ephemeral consumer.
    /// </summary>
    public async ValueTask<NatsJSConsumer> CreateOrUpdateConsumerAsync(string stream, ConsumerConfig config, CancellationToken cancellationToken = default)
    {
        ValidateName(stream, nameof(stream));
        ArgumentNullException.ThrowIfNull(config);
        var name = config.Name ?? config.DurableName;
        if (name is not null)
        {
            ValidateName(name, nameof(config));
        }

        var subject = name is null ? $"CONSUMER.CREATE.{stream}" : $"CONSUMER.CREATE.{stream}.{name}";
        var request = new ConsumerCreateRequest { StreamName = stream, Config = config };
        var info = await RequestAsync(subject, request, JetStreamJsonContext.Default.ConsumerCreateRequest, JetStreamJsonContext.Default.ConsumerInfo, cancellationToken)
            .ConfigureAwait(false);
        return new NatsJSConsumer(this, info);
    }

    public async ValueTask<NatsJSConsumer> GetConsumerAsync(string stream, string consumer, CancellationToken cancellationToken = default) =>
        new(this, await GetConsumerInfoAsync(stream, consumer, cancellationToken).ConfigureAwait(false));

    public async ValueTask<bool> DeleteConsumerAsync(string stream, string consumer, CancellationToken cancellationToken = default)
    {
        ValidateName(stream, nameof(stream));
        ValidateName(consumer, nameof(consumer));
        var response = await RequestAsync(
                $"CONSUMER.DELETE.{stream}.{consumer}", JetStreamJsonContext.Default.ConsumerDeleteResponse, cancellationToken)
            .ConfigureAwait(false);
        return response.Success;
    }

    internal ValueTask<ConsumerInfo> GetConsumerInfoAsync(string stream, string consumer, CancellationToken cancellationToken)
    {
        ValidateName(stream, nameof(stream));
        ValidateName(consumer, nameof(consumer));
        return RequestAsync($"CONSUMER.INFO.{stream}.{consumer}", JetStreamJsonContext.Default.ConsumerInfo, cancellationToken);
    }
}
